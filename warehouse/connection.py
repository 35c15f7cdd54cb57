"""Connections to the store as one of its roles."""

from __future__ import annotations

from urllib.parse import quote

import psycopg

from warehouse.secrets import password
from warehouse.settings import Settings

DATABASE_KEYS = ("warehouse", "dagster", "superset")


def role_name(settings: Settings, role_key: str) -> str:
    """The PostgreSQL role behind a role key (admin, migrator, pipeline, api, bi, ...)."""
    if role_key == "admin":
        return settings.store.admin_user
    return getattr(settings.store.roles, role_key)


def database_name(settings: Settings, database: str) -> str:
    """A database key (warehouse, dagster, superset) or a literal name such as postgres."""
    if database in DATABASE_KEYS:
        return getattr(settings.store.databases, database)
    return database


def conninfo(settings: Settings, role_key: str = "pipeline", database: str = "warehouse") -> dict:
    return {
        "host": settings.store.host,
        "port": settings.store.port,
        "user": role_name(settings, role_key),
        "password": password(settings, role_key),
        "dbname": database_name(settings, database),
    }


def url(
    settings: Settings,
    role_key: str = "pipeline",
    database: str = "warehouse",
    driver: str = "psycopg",
) -> str:
    """A SQLAlchemy URL; Dagster's storage needs driver='psycopg2'."""
    info = conninfo(settings, role_key, database)
    credentials = f"{quote(info['user'], safe='')}:{quote(info['password'], safe='')}"
    return f"postgresql+{driver}://{credentials}@{info['host']}:{info['port']}/{info['dbname']}"


def connect(
    settings: Settings, role_key: str = "pipeline", database: str = "warehouse", **kwargs
) -> psycopg.Connection:
    """Open a psycopg connection; the caller closes it (use it as a context manager)."""
    info = conninfo(settings, role_key, database)
    return psycopg.connect(**info, application_name="eldercare", **kwargs)
