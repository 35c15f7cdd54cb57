from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class ManualCase(BaseModel):
    order_id: int
    reason: str = Field(min_length=2)


class CaseAction(BaseModel):
    method: Literal["phone", "online_reminder", "visit", "other"]
    outcome: str = Field(min_length=2)
    close: bool = False


class CaseOut(BaseModel):
    id: int
    order_id: int | None
    organisation_id: int | None
    elder_id: int | None
    street_code: str | None
    trigger: str
    reason: str | None
    opened_at: datetime
    method: str | None
    outcome: str | None
    state: str
    closed_at: datetime | None
