"""Password hashing (argon2) and short-lived signed access tokens (JWT, HS256)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from operational_api.roles import Principal

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


class TokenCache:
    """The caller of each token seen, until the token expires.

    A caller sends the same token with every request for its lifetime; checking the signature
    and decoding the claims each time was a measurable share of a request's CPU. A token is
    verified once, then looked up; an expired one is verified again, which refuses it."""

    def __init__(self, secret: str, size: int = 50_000):
        self.secret, self.size = secret, size
        self.seen: dict[str, tuple[Principal, float]] = {}

    def principal(self, token: str) -> Principal:
        """The caller; raises jwt.PyJWTError, KeyError or ValueError for a bad token."""
        hit = self.seen.get(token)
        if hit is not None and hit[1] > time.time():
            return hit[0]
        claims = read_token(token, self.secret)
        principal = Principal.from_claims(claims)
        if len(self.seen) >= self.size:
            self.seen.pop(next(iter(self.seen)))  # the oldest entry
        self.seen[token] = (principal, float(claims["exp"]))
        return principal
