"""Superset's configuration, loaded by Superset itself (SUPERSET_CONFIG_PATH) in its own venv.

It imports nothing of the platform: `dashboards/service.py` computes every value from
warehouse.yml and the secrets and passes them in the environment of the Superset process.
"""

import os

# Metadata in its own database on the platform's PostgreSQL, as the eldercare_superset role.
SQLALCHEMY_DATABASE_URI = os.environ["ELDERCARE_SUPERSET_METADATA_URI"]
SECRET_KEY = os.environ["ELDERCARE_SUPERSET_SECRET"]

APP_NAME = "天津市养老数据平台"
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {
    "zh": {"flag": "cn", "name": "简体中文"},
    "en": {"flag": "us", "name": "English"},
}

# Nothing leaves the machine: a self-only Content-Security-Policy (which also blocks the
# telemetry pixel and web fonts), no CORS, no map tiles, no remote theme fonts.
self_only = ["'self'"]
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": self_only,
        "default-src": self_only,
        "img-src": [*self_only, "data:", "blob:"],
        "worker-src": [*self_only, "blob:"],
        "connect-src": self_only,
        "font-src": [*self_only, "data:"],
        "style-src": [*self_only, "'unsafe-inline'"],
        "script-src": [*self_only, "'strict-dynamic'"],
        "object-src": "'none'",
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
TALISMAN_DEV_CONFIG = TALISMAN_CONFIG
CONTENT_SECURITY_POLICY_WARNING = False
ENABLE_CORS = False
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []
MAPBOX_API_KEY = ""
DOCUMENTATION_URL = None
BUG_REPORT_URL = None
SHOW_STACKTRACE = False

FEATURE_FLAGS = {
    "DASHBOARD_RBAC": False,  # access follows the datasets a role may read (dashboards/roles.yaml)
    "ENABLE_TEMPLATE_PROCESSING": False,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "EMBEDDED_SUPERSET": False,
}

# Only the databases published from dashboards/assets; never the examples database.
PREVENT_UNSAFE_DB_CONNECTIONS = True
SQLLAB_TIMEOUT = 300
SUPERSET_WEBSERVER_TIMEOUT = 120
ROW_LIMIT = 50000
SQL_MAX_ROW = 100000
WTF_CSRF_ENABLED = True
SESSION_COOKIE_SAMESITE = "Lax"
