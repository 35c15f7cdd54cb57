"""The API's settings: warehouse.yml's `api` section plus the token secret from the environment.

The secret is never read from a file in the checkout. For the embedded store a secret not set
in the environment is generated once into `<state_dir>/secrets.env` (as warehouse/secrets.py
does for role passwords); a placeholder such as "changethis" is refused at start-up.
"""

from __future__ import annotations

import os
import secrets as token_source
from dataclasses import dataclass

from warehouse.settings import ConfigError, Settings

SECRET_ENV = "ELDERCARE_API_SECRET"
PLACEHOLDERS = {"changethis", "changeme", "secret", "password", "default", "test", "xxx", ""}
MIN_SECRET_CHARS = 32


@dataclass(frozen=True)
class ApiConfig:
    settings: Settings
    secret: str

    @property
    def api(self):
        return self.settings.api


def _from_secrets_file(settings: Settings) -> str:
    path = settings.state_path / "secrets.env"
    lines = path.read_text().splitlines() if path.exists() else []
    for line in lines:
        key, _, value = line.partition("=")
        if key == SECRET_ENV and value:
            return value
    value = token_source.token_urlsafe(48)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as handle:
        handle.write(f"{SECRET_ENV}={value}\n")
    return value


def check_secret(secret: str) -> str:
    """Refuse a placeholder or short secret, naming the variable to set."""
    if secret.strip().lower() in PLACEHOLDERS or len(secret) < MIN_SECRET_CHARS:
        raise ConfigError(
            f"{SECRET_ENV} is a placeholder or shorter than {MIN_SECRET_CHARS} characters: "
            f'set it to a random value, e.g. python -c "import secrets; '
            f'print(secrets.token_urlsafe(48))"'
        )
    return secret


def load_api_config(settings: Settings) -> ApiConfig:
    """The secret from the environment (or, for the embedded store, generated once)."""
    secret = os.environ.get(SECRET_ENV)
    if secret is None:
        if settings.store.target != "embedded":
            raise ConfigError(f"{SECRET_ENV} is not set: an external deployment needs it")
        secret = _from_secrets_file(settings)
    return ApiConfig(settings=settings, secret=check_secret(secret))
