"""An import string for ASGI servers that start several workers:
`uvicorn operational_api.asgi:app --workers 2` (settings from $ELDERCARE_CONFIG)."""

from operational_api.main import create_app
from warehouse.settings import load_settings

app = create_app(load_settings())
