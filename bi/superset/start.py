"""Start Apache Superset on the published warehouse: `make superset`.

Run by the Superset environment's Python (.superset-venv/bin/python); it drives Superset through
its own commands (`superset db upgrade`, ...). In order, it upgrades the metadata database,
syncs Superset's roles, creates the admin user, imports the committed dashboard (bi/superset/
assets/, zipped here with the published file's path written into the connection), points the
connection at that path again (an import never overwrites an existing connection), then serves
Superset with gunicorn on 127.0.0.1 until it is stopped (Ctrl-C or SIGTERM).

    GRANTS_WAREHOUSE_DIR         the warehouse folder (default: warehouse/); Superset reads its
                                 grants.duckdb, read-only
    GRANTS_SUPERSET_HOME         Superset's state: metadata DB, secret key (default:
                                 $GRANTS_WAREHOUSE_DIR/superset)
    GRANTS_SUPERSET_ADMIN_USER   the admin's user name (default: admin)
    GRANTS_SUPERSET_ADMIN_PASSWORD  its password (default: admin)
    SUPERSET_SECRET_KEY          the secret key (default: generated once into the state folder)
"""

import argparse
import os
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent.parent
ASSETS = HERE / "assets"
# The committed connection's URI, a placeholder where the published file's path goes.
COMMITTED_URI = "duckdb:///{published_database}?access_mode=read_only"
DATABASE_NAME = "grants_warehouse"
BIN = Path(sys.executable).parent


def published_database_uri(database: Path) -> str:
    """duckdb-engine passes the URL's query to DuckDB as its configuration: opened read-only,
    Superset never blocks a refresh and never writes the file."""
    return f"duckdb:///{database}?access_mode=read_only"


def superset_environment(warehouse_dir: Path, state_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SUPERSET_CONFIG_PATH": str(HERE / "superset_config.py"),
        "GRANTS_WAREHOUSE_DIR": str(warehouse_dir),
        "GRANTS_SUPERSET_HOME": str(state_dir),
        # Superset's own data folder (its default is ~/.superset): the state folder too.
        "SUPERSET_HOME": str(state_dir),
        "FLASK_APP": "superset.app:create_app()",
        # Offline: no analytics (superset_config.py explains what actually stops the pixel).
        "SCARF_ANALYTICS": "false",
        "DO_NOT_TRACK": "1",
    }


def dashboard_bundle(database: Path, target: Path) -> Path:
    """The committed export files as the ZIP `superset import-dashboards` reads (one root
    folder), the connection pointed at `database`."""
    with zipfile.ZipFile(target, "w") as bundle:
        for path in sorted(ASSETS.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if path.parent.name == "databases":
                if COMMITTED_URI not in text:
                    sys.exit(f"{path}: sqlalchemy_uri is not {COMMITTED_URI}")
                text = text.replace(COMMITTED_URI, published_database_uri(database))
            bundle.writestr(f"grants_dashboard/{path.relative_to(ASSETS)}", text)
    return target


def prepare(database: Path) -> None:
    """Superset's own commands, run in this process on one app: each as its own process would
    import Superset and build its app again, about 5 s each on an idle machine."""
    # Imported here: Superset reads its settings (SUPERSET_CONFIG_PATH) when first imported.
    from flask.cli import ScriptInfo
    from superset.app import create_app
    from superset.cli.main import superset

    app = create_app()
    user = os.environ.get("GRANTS_SUPERSET_ADMIN_USER", "admin")
    password = os.environ.get("GRANTS_SUPERSET_ADMIN_PASSWORD", "admin")
    with tempfile.TemporaryDirectory() as folder:
        bundle = dashboard_bundle(database, Path(folder) / "grants_dashboard.zip")
        steps = [
            ["db", "upgrade"],
            ["init"],  # Superset's roles and their permissions
            # Says "User already exists" and succeeds when the admin is there from an earlier start.
            ["fab", "create-admin", "--username", user, "--password", password,
             "--firstname", "Superset", "--lastname", "Admin", "--email", f"{user}@localhost"],
            ["import-dashboards", "--path", str(bundle), "--username", user],
            # An import never overwrites an existing connection: the path may have moved.
            ["set-database-uri", "--database_name", DATABASE_NAME,
             "--uri", published_database_uri(database), "--skip_create"],
        ]  # fmt: skip
        for arguments in steps:
            print("superset", *arguments[:2], flush=True)
            # A failing command exits this process with its own non-zero code.
            superset.main(arguments, prog_name="superset", standalone_mode=False,
                          obj=ScriptInfo(create_app=lambda: app))  # fmt: skip


def serve(host: str, port: int, environment: dict[str, str]) -> None:
    """gunicorn in this process's place: one worker, its threads answering requests (SQL Lab
    runs queries in the web process; no Celery)."""
    print(f"Superset: http://{host}:{port}/", flush=True)
    arguments = [
        str(BIN / "gunicorn"), "--bind", f"{host}:{port}", "--workers", "1", "--threads", "8",
        # As Superset's documentation runs it: explore URLs carry a whole chart's form data.
        "--timeout", "120", "--limit-request-line", "0", "--limit-request-field_size", "0",
        # gunicorn 27 would otherwise open a control socket in ~/.gunicorn/, shared by every
        # gunicorn of the user: a second Superset (a test's) would take it from the first.
        "--no-control-socket",
        "superset.app:create_app()",
    ]  # fmt: skip
    os.execve(arguments[0], arguments, environment)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8088)
    options = parser.parse_args()
    warehouse_dir = Path(
        os.environ.get("GRANTS_WAREHOUSE_DIR") or PROJECT_ROOT / "warehouse"
    ).resolve()
    database = warehouse_dir / "grants.duckdb"
    if not database.exists():
        sys.exit(f"No published warehouse at {database}: run `make refresh` first.")
    state_dir = Path(os.environ.get("GRANTS_SUPERSET_HOME") or warehouse_dir / "superset").resolve()
    environment = superset_environment(warehouse_dir, state_dir)
    os.environ.update(environment)
    prepare(database)
    serve(options.host, options.port, environment)


if __name__ == "__main__":
    main()
