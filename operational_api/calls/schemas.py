from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field


class TicketIn(BaseModel):
    """A call taken by an operator: a one-key call relayed by phone, or a consultation."""

    kind: Literal["one_key", "consultation"]
    elder_id: int | None = Field(default=None, description="required for a one-key call")
    location: str | None = None
    question: str | None = Field(default=None, min_length=2, description="a consultation's")


class Answer(BaseModel):
    answer: str = Field(min_length=2, description="the answer given, or what was done")


class Referral(BaseModel):
    referred_to: str = Field(min_length=2, description="the named department")
    note: str | None = None


class TicketOrder(BaseModel):
    """A service order opened from the ticket, for the ticket's elder."""

    item_id: int
    description: str = Field(min_length=1, max_length=2000)
    organisation_id: int | None = None


class TicketOut(BaseModel):
    id: int
    kind: str
    state: str
    elder_id: int | None
    district_code: str | None
    street_code: str | None
    community_code: str | None
    device_id: int | None
    event_id: int | None
    alarm_kind: str | None
    location: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    question: str | None
    answer: str | None
    referred_to: str | None
    order_id: int | None
    order_state: str | None = Field(default=None, description="the linked order's")
    opened_at: datetime
    escalated_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
