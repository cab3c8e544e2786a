"""`make serve` refuses to start, saying why, where the production instance cannot work."""

from orchestration.lib.services import free_port
from orchestration.serve import instance_problem
from tests.conftest import PROJECT_ROOT

PRODUCTION_HOME = str(PROJECT_ROOT / "deploy" / "dagster_home")


def test_a_home_without_an_instance_file_is_refused(tmp_path):
    assert instance_problem({"DAGSTER_HOME": str(tmp_path)}) == (
        f"DAGSTER_HOME ({tmp_path}) has no dagster.yaml: use the production instance,"
        " deploy/dagster_home (make serve does)."
    )


def test_no_postgresql_url_is_refused():
    assert instance_problem({"DAGSTER_HOME": PRODUCTION_HOME}) == (
        "GRANTS_DAGSTER_POSTGRES_URL is not set: the production instance keeps its run history on"
        " PostgreSQL (postgresql://user:password@host:port/database; see docs/operators.md)."
    )


def test_a_postgresql_server_that_does_not_answer_is_refused():
    port = free_port("127.0.0.1")  # nothing listens there
    problem = instance_problem(
        {
            "DAGSTER_HOME": PRODUCTION_HOME,
            "GRANTS_DAGSTER_POSTGRES_URL": f"postgresql://grants@127.0.0.1:{port}/grants_dagster",
        }
    )
    assert problem is not None
    assert problem.startswith(
        f'Cannot reach PostgreSQL at GRANTS_DAGSTER_POSTGRES_URL: connection to server at "127.0.0.1", port {port} failed: Connection refused'
    )
