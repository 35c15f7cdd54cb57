from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Matter = Literal[
    "subsidy_application", "preferential_card", "organisation_qualification", "subsidy_parameter"
]
Level = Literal["community", "street", "district", "city"]


class Chain(BaseModel):
    levels: list[Level] = Field(min_length=1, description="in order, e.g. community, street")


class ChainOut(Chain):
    matter_type: str


class SubmissionIn(BaseModel):
    matter_type: Literal["subsidy_application", "preferential_card", "organisation_qualification"]
    subject: str = Field(min_length=2, max_length=200)
    elder_id: int | None = None
    organisation_id: int | None = None
    details: dict | None = None


class Decision(BaseModel):
    note: str | None = Field(default=None, max_length=1000)


class Return(BaseModel):
    reason: str = Field(min_length=2, max_length=1000)


class StepOut(BaseModel):
    step_no: int | None
    scope_level: str | None
    action: str
    actor_id: int | None
    at: datetime
    note: str | None


class ApprovalOut(BaseModel):
    id: int
    matter_type: str
    subject: str
    elder_id: int | None
    organisation_id: int | None
    parameter_id: int | None
    district_code: str | None
    street_code: str | None
    community_code: str | None
    details: dict | None
    chain: list[str]
    state: str
    current_step: int | None
    awaiting: str | None = Field(default=None, description="the level whose decision is awaited")
    submitted_by: int
    submitted_at: datetime
    return_reason: str | None
    decided_at: datetime | None
    steps: list[StepOut] = []
