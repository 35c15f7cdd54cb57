from typing import Literal

from pydantic import BaseModel, Field

from operational_api.roles import ROLES

Role = Literal[ROLES]  # type: ignore[valid-type]


class Credentials(BaseModel):
    username: str = Field(description="staff log in with their phone number")
    password: str


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    role: str


class UserIn(BaseModel):
    username: str = Field(min_length=3, max_length=64)
    password: str = Field(min_length=8, max_length=128)
    role: Role
    display_name: str = Field(min_length=1, max_length=64)
    phone: str | None = None
    organisation_id: int | None = None
    elder_id: int | None = None
    scope_level: Literal["city", "district", "street", "community"] | None = None
    scope_code: str | None = None


class UserChange(BaseModel):
    display_name: str | None = None
    phone: str | None = None
    password: str | None = Field(default=None, min_length=8, max_length=128)
    is_active: bool | None = None


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    display_name: str
    phone: str | None
    organisation_id: int | None
    elder_id: int | None
    scope_level: str | None
    scope_code: str | None
    is_active: bool
