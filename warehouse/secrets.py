"""Passwords of the store's roles: from the environment, never from a committed file.

For the embedded server only, a password not set in the environment is generated once
into `<state_dir>/secrets.env` (mode 0600, git-ignored) so a fresh checkout runs with no
set-up. An external server gets no such fallback: its passwords must be in the environment.
"""

from __future__ import annotations

import os
import secrets as token_source
from pathlib import Path

from warehouse.settings import ConfigError, Settings

ROLE_KEYS = ("admin", "migrator", "pipeline", "api", "bi", "analyst", "superset")


def env_name(role_key: str) -> str:
    return f"ELDERCARE_{role_key.upper()}_PASSWORD"


def _secrets_file(settings: Settings) -> Path:
    return settings.state_path / "secrets.env"


def _read_generated(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key: value for key, value in pairs}


def _generate_all(path: Path) -> dict[str, str]:
    values = _read_generated(path)
    missing = [key for key in map(env_name, ROLE_KEYS) if key not in values]
    if missing:
        values.update({key: token_source.token_urlsafe(24) for key in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.writelines(f"{key}={value}\n" for key, value in sorted(values.items()))
    return values


def password(settings: Settings, role_key: str) -> str:
    """The password of one role (a key of ROLE_KEYS)."""
    if role_key not in ROLE_KEYS:
        raise KeyError(role_key)
    name = env_name(role_key)
    if os.environ.get(name):
        return os.environ[name]
    if settings.store.target != "embedded":
        raise ConfigError(
            f"{name} is not set: an external PostgreSQL server needs every role's password "
            f"in the environment ({', '.join(env_name(key) for key in ROLE_KEYS)})"
        )
    return _generate_all(_secrets_file(settings))[name]


def named_secret(settings: Settings, name: str) -> str:
    """A service secret (not a role password) from the environment variable `name`.

    For the embedded server only, one not set is generated once into secrets.env, as the
    role passwords are; an external deployment must set it.
    """
    if os.environ.get(name):
        return os.environ[name]
    if settings.store.target != "embedded":
        raise ConfigError(f"{name} is not set: an external deployment needs it")
    path = _secrets_file(settings)
    values = _read_generated(path)
    if not values.get(name):
        value = token_source.token_urlsafe(48)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as handle:
            handle.write(f"{name}={value}\n")
        return value
    return values[name]
