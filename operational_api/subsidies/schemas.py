from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

SubsidyType = Literal[
    "高龄津贴", "居家养老服务补贴", "经济困难老年人生活补贴", "失能老年人护理补贴"
]
Hardship = Literal["低保", "特困", "低收入", "无"]
Ability = Literal["能力完好", "轻度失能", "中度失能", "重度失能", "完全失能"]
Residence = Literal["home", "institution"]


class ParameterIn(BaseModel):
    """A proposed standard: who it is for (null = any), how much, from which month."""

    subsidy_type: SubsidyType
    hardship_type: Hardship | None = None
    age_min: int | None = Field(default=None, ge=0, le=150)
    age_max: int | None = Field(default=None, ge=0, le=150)
    ability_level: Ability | None = None
    residence: Residence | None = None
    amount_fen: int = Field(ge=0, le=10_000_000, description="a month, in fen (1/100 yuan)")
    effective_from: date = Field(description="the first day of a month")
    source_note: str = Field(min_length=2, max_length=500)
    is_assumed: bool = False

    @field_validator("effective_from")
    @classmethod
    def _month_start(cls, value: date) -> date:
        if value.day != 1:
            raise ValueError("subsidies are monthly: effective_from must be a month's first day")
        return value

    @model_validator(mode="after")
    def _band(self):
        if None not in (self.age_min, self.age_max) and self.age_max < self.age_min:
            raise ValueError("age_max is below age_min")
        return self


class ParameterOut(BaseModel):
    id: int
    subsidy_type: str
    hardship_type: str | None
    age_min: int | None
    age_max: int | None
    ability_level: str | None
    residence: str | None
    amount_fen: int
    effective_from: date
    effective_to: date | None
    status: str
    is_assumed: bool
    source_note: str
    replaces_id: int | None
    created_at: datetime
    approved_at: datetime | None


class Proposal(ParameterOut):
    approval_id: int


class Due(BaseModel):
    subsidy_type: str
    parameter_id: int
    amount_fen: int
    is_assumed: bool
