from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class ComplaintIn(BaseModel):
    source: Literal["elder", "consumer_association", "authority", "media"]
    source_name: str | None = Field(default=None, description="the body that passed it on")
    content: str = Field(min_length=2)
    elder_id: int | None = None
    order_id: int | None = None
    reply_hours: int | None = Field(
        default=None, gt=0, le=24 * 30, description="promised reply time"
    )
    answer: str | None = Field(default=None, description="given at once, when possible (A.6.1)")


class Assignment(BaseModel):
    handler_id: int


class Note(BaseModel):
    text: str = Field(min_length=2)


class ComplaintOut(BaseModel):
    id: int
    source: str
    source_name: str | None
    elder_id: int | None
    order_id: int | None
    organisation_id: int | None
    content: str
    state: str
    received_at: datetime
    reply_due_at: datetime
    answer: str | None
    handler_id: int | None = None
    investigation_notes: str | None = None
    resolution: str | None = None
    reply: str | None = None
    replied_at: datetime | None = None
    closed_at: datetime | None = None
