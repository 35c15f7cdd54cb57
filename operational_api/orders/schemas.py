from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Channel = Literal["call_centre", "platform", "mobile", "one_key"]


class OrderIn(BaseModel):
    elder_id: int
    kind: Literal["service", "consultation"] = "service"
    channel: Channel
    description: str = Field(min_length=1, max_length=2000)
    item_id: int | None = None
    organisation_id: int | None = Field(
        default=None, description="an organisation the elder asks for"
    )


class OrderChange(BaseModel):
    description: str | None = Field(default=None, min_length=1, max_length=2000)
    item_id: int | None = None
    organisation_id: int | None = None


class Assign(BaseModel):
    staff_id: int


class Start(BaseModel):
    code: str = Field(min_length=1, max_length=32, description="the elder's unique code")


class ServiceRecord(BaseModel):
    record_text: str = Field(min_length=4, description="what was done")
    hours: Decimal = Field(gt=0, le=24)
    result: Literal["completed", "partly_completed", "not_completed"]


class RecordReview(BaseModel):
    acceptable: bool
    note: str = Field(min_length=1)


class Cancel(BaseModel):
    reason: str = Field(min_length=2)


class OrderOut(BaseModel):
    id: int
    kind: str
    state: str
    channel: str
    elder_id: int
    district_code: str | None
    street_code: str | None
    community_code: str | None
    item_id: int | None
    description: str
    organisation_id: int | None
    staff_id: int | None
    unique_code: str | None = Field(description="shown to the elder and the call centre only")
    match: dict | None
    due_at: datetime | None
    dispatch_count: int
    hours: Decimal | None = None
    record_text: str | None = None
    result: str | None = None
    satisfaction: int | None = None
    answer: str | None = None
    referred_to: str | None = None
    created_at: datetime
    reviewed_at: datetime | None = None
    dispatched_at: datetime | None = None
    assigned_at: datetime | None = None
    started_at: datetime | None = None
    returned_at: datetime | None = None
    record_accepted_at: datetime | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None


class EventOut(BaseModel):
    action: str
    from_state: str | None
    to_state: str
    actor_id: int | None
    at: datetime
    note: str | None
