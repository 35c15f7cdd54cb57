"""Dependency aliases: the connection, the caller, the clock, the configuration.

All but the connection are `async def`: they do no I/O, and FastAPI runs a plain `def`
dependency in the threadpool, a hop that cost more than the work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

from operational_api.config import ApiConfig
from operational_api.errors import AppError, forbidden
from operational_api.roles import Principal

bearer = HTTPBearer(auto_error=False, description="a token from POST /auth/token")


def get_conn(request: Request) -> Iterator[Connection]:
    """One connection and transaction per request: committed on success, rolled back on error."""
    with request.app.state.engine.connect() as conn:
        try:
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise


def get_read_conn(request: Request) -> Iterator[Connection]:
    """A connection without a transaction, for a read of one statement that writes nothing:
    two round trips (BEGIN, COMMIT) fewer than `get_conn`, on the busiest lookups."""
    with request.app.state.engine.connect() as conn:
        yield conn.execution_options(isolation_level="AUTOCOMMIT")


async def get_config(request: Request) -> ApiConfig:
    return request.app.state.config


async def clock() -> datetime:
    """The current time; tests and the simulator replace it to act at another moment."""
    return datetime.now(UTC)


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def current_user(credentials: Credentials, request: Request) -> Principal:
    """The caller of a valid token (verified once, then cached until it expires), or 401."""
    if credentials is None:
        raise AppError(401, "unauthorised", "missing token: log in with POST /auth/token")
    try:
        return request.app.state.tokens.principal(credentials.credentials)
    except jwt.ExpiredSignatureError:
        raise AppError(401, "token_expired", "the token has expired: log in again") from None
    except (jwt.PyJWTError, KeyError, ValueError):
        raise AppError(401, "unauthorised", "missing or invalid token: log in first") from None


Conn = Annotated[Connection, Depends(get_conn)]
ReadConn = Annotated[Connection, Depends(get_read_conn)]
Config = Annotated[ApiConfig, Depends(get_config)]
Now = Annotated[datetime, Depends(clock)]
CurrentUser = Annotated[Principal, Depends(current_user)]


def require(*roles: str) -> Callable[[Principal], Principal]:
    """A dependency admitting only the given roles, with a 403 that names them. It reads the
    token itself rather than through `CurrentUser`: each dependency FastAPI solves costs CPU
    on every request."""

    async def check(credentials: Credentials, request: Request) -> Principal:
        user = await current_user(credentials, request)
        if user.role not in roles:
            raise forbidden(
                f"role {user.role} may not do this; it needs one of: {', '.join(roles)}"
            )
        return user

    return check


def caller(*roles: str):
    """`Annotated` alias for a caller restricted to roles."""
    return Annotated[Principal, Depends(require(*roles))]
