from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class FollowUpIn(BaseModel):
    method: Literal["visit", "call"]
    resolved: bool
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    comments: str | None = None


class FollowUpOut(FollowUpIn):
    id: int
    order_id: int
    at: datetime
    by_user: int | None
    order_state: str | None = None
