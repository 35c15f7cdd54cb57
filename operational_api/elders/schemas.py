from datetime import date, datetime

from pydantic import BaseModel


class ElderOut(BaseModel):
    elder_id: int
    id_number: str | None
    name: str | None
    sex_code: str | None
    birth_date: date | None
    phone: str | None
    district_code: str | None
    street_code: str | None
    community_code: str | None
    address: str | None
    is_eligible: bool
    exclusion_reason: str | None
    designated_organisation_id: int | None = None


class Designation(BaseModel):
    organisation_id: int | None


class AgreementIn(BaseModel):
    elder_id: int
    organisation_id: int
    valid_until: date | None = None
    terms: str | None = None


class AgreementOut(AgreementIn):
    id: int
    signed_at: datetime
