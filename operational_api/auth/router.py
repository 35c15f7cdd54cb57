"""Log in (OAuth2 password flow) and, for the security administrator, manage accounts."""

from fastapi import APIRouter

from operational_api.auth import service
from operational_api.auth.schemas import Credentials, Token, UserChange, UserIn, UserOut
from operational_api.deps import Config, Conn, CurrentUser, Now, caller
from operational_api.errors import AppError
from operational_api.roles import SECADMIN
from operational_api.security import make_token

router = APIRouter(tags=["auth"])
SecurityAdmin = caller(SECADMIN)


@router.post("/auth/token", response_model=Token)
def login(form: Credentials, conn: Conn, config: Config):
    """Exchange a username (staff: their phone) and password for a short-lived token."""
    principal = service.authenticate(conn, username=form.username, password=form.password)
    if principal is None:
        raise AppError(401, "bad_credentials", "wrong username or password, or account disabled")
    minutes = config.api.token_minutes
    token = make_token(claims=principal.claims(), secret=config.secret, minutes=minutes)
    return Token(access_token=token, expires_in=minutes * 60, role=principal.role)


@router.get("/auth/me")
def me(user: CurrentUser) -> dict:
    """Who the token belongs to, with role and scope."""
    return user.claims()


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, conn: Conn, now: Now, admin: SecurityAdmin):
    """Create an account of any role (security administrator only)."""
    return service.create_user(conn, actor=admin, now=now, **body.model_dump())


@router.get("/users", response_model=list[UserOut])
def list_users(conn: Conn, admin: SecurityAdmin, role: str | None = None):
    """All accounts, optionally of one role."""
    return service.list_users(conn, role=role)


@router.patch("/users/{user_id}", response_model=UserOut)
def update_user(user_id: int, body: UserChange, conn: Conn, now: Now, admin: SecurityAdmin):
    """Change an account's name, phone, password or active flag."""
    changes = body.model_dump(exclude_none=True)
    return service.update_user(conn, actor=admin, user_id=user_id, changes=changes, now=now)
