from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class OrganisationIn(BaseModel):
    name: str = Field(min_length=2)
    district_code: str = Field(pattern=r"^\d{6}(\d{6})?$")
    address: str | None = None
    phone: str | None = None
    streets: list[str] = Field(default_factory=list, description="street codes it serves")


class OrganisationChange(BaseModel):
    address: str | None = None
    phone: str | None = None
    is_online: bool | None = None
    grab_enabled: bool | None = None
    streets: list[str] | None = Field(default=None, description="administrators only")


class OrganisationOut(BaseModel):
    id: int
    name: str
    district_code: str
    address: str | None
    phone: str | None
    is_online: bool
    grab_enabled: bool
    rating: Decimal
    streets: list[str]


class QualificationIn(BaseModel):
    item_id: int


class Decision(BaseModel):
    approve: bool
    note: str | None = None


class QualificationOut(BaseModel):
    id: int
    organisation_id: int
    item_id: int
    status: str
    applied_at: datetime
    decided_at: datetime | None = None
    note: str | None = None
