from pydantic import BaseModel, Field


class StaffIn(BaseModel):
    phone: str = Field(pattern=r"^1\d{10}$", description="mobile number, also the login")
    password: str = Field(min_length=8, max_length=128)
    display_name: str = Field(min_length=1, max_length=64)
    skills: list[int] = Field(default_factory=list, description="service item ids")


class StaffChange(BaseModel):
    phone: str | None = Field(default=None, pattern=r"^1\d{10}$")
    password: str | None = Field(default=None, min_length=8, max_length=128)
    display_name: str | None = None
    skills: list[int] | None = None


class StaffOut(BaseModel):
    id: int
    username: str
    display_name: str
    phone: str | None
    organisation_id: int | None
    is_active: bool
    skills: list[int]
