"""Password hashing (argon2) and short-lived signed access tokens (JWT, HS256)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
ALGORITHM = "HS256"


def hash_password(plain: str) -> str:
    return _hasher.hash(plain)


def verify_password(stored_hash: str, plain: str) -> bool:
    try:
        return _hasher.verify(stored_hash, plain)
    except (VerificationError, InvalidHashError):
        return False


def make_token(*, claims: dict, secret: str, minutes: int, now: datetime | None = None) -> str:
    """A token carrying the caller's id, role and scope, valid for `minutes`."""
    issued = now or datetime.now(UTC)
    payload = {**claims, "iat": issued, "exp": issued + timedelta(minutes=minutes)}
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def read_token(token: str, secret: str) -> dict:
    """The claims of a valid, unexpired token; raises jwt.PyJWTError otherwise."""
    return jwt.decode(token, secret, algorithms=[ALGORITHM])
