"""Superset's settings for the grants warehouse: local, offline, state in one folder.

Superset reads this file through SUPERSET_CONFIG_PATH (bi/superset/start.py sets it). Its state
(the metadata database, the secret key, the log) lives in GRANTS_SUPERSET_HOME, by default
$GRANTS_WAREHOUSE_DIR/superset/ (warehouse/superset/), beside the published file.
"""

import os
import secrets
from pathlib import Path

WAREHOUSE_DIR = Path(
    os.environ.get("GRANTS_WAREHOUSE_DIR") or Path(__file__).resolve().parents[2] / "warehouse"
)
STATE_DIR = Path(os.environ.get("GRANTS_SUPERSET_HOME") or WAREHOUSE_DIR / "superset")
STATE_DIR.mkdir(parents=True, exist_ok=True)


def local_secret_key() -> str:
    """SUPERSET_SECRET_KEY, or a key generated once into the state folder (readable by its owner
    only): it signs sessions and encrypts the stored database connection, so it must persist."""
    if key := os.environ.get("SUPERSET_SECRET_KEY"):
        return key
    key_file = STATE_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(42))
    return key_file.read_text().strip()


SECRET_KEY = local_secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{STATE_DIR / 'superset.db'}?check_same_thread=false"
# Superset's in-process caches only: no Redis, no Celery (SQL Lab runs its queries in the web
# process), no thumbnails or reports that would need a browser and a worker.
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
FEATURE_FLAGS = {"THUMBNAILS": False, "ALERT_REPORTS": False}

# Offline: nothing may reach the network. Superset's prebuilt frontend draws a Scarf analytics
# pixel (apachesuperset.gateway.scarf.sh) on every page whatever SCARF_ANALYTICS says (that
# variable only acts when the frontend is built); the content security policy below allows
# images, styles, fonts and connections from Superset itself only, so the browser never requests
# it, nor Mapbox tiles or Google fonts.
SAME_ORIGIN = ["'self'"]
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": SAME_ORIGIN,
        "default-src": SAME_ORIGIN,
        "img-src": [*SAME_ORIGIN, "blob:", "data:"],
        "worker-src": [*SAME_ORIGIN, "blob:"],
        "connect-src": SAME_ORIGIN,
        "object-src": "'none'",
        "style-src": [*SAME_ORIGIN, "'unsafe-inline'"],
        "font-src": SAME_ORIGIN,
        "script-src": [*SAME_ORIGIN, "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []
MAPBOX_API_KEY = ""
