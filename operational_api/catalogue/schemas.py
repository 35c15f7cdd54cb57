from decimal import Decimal

from pydantic import BaseModel, Field


class ColumnIn(BaseModel):
    name: str = Field(min_length=1)


class CategoryIn(BaseModel):
    column_id: int
    name: str = Field(min_length=1)


class ItemIn(BaseModel):
    category_id: int
    name: str = Field(min_length=1)
    standard_minutes: int = Field(gt=0, description="standard duration (工时), minutes")
    price: Decimal = Field(ge=0, description="yuan")
    response_minutes: int = Field(gt=0, description="promised response time, minutes")
    keywords: list[str] = Field(default_factory=list, description="words that fit this item")


class ItemChange(BaseModel):
    standard_minutes: int | None = Field(default=None, gt=0)
    price: Decimal | None = Field(default=None, ge=0)
    response_minutes: int | None = Field(default=None, gt=0)
    keywords: list[str] | None = None
    is_active: bool | None = None


class ItemOut(BaseModel):
    id: int
    category_id: int
    name: str
    standard_minutes: int
    price: Decimal
    response_minutes: int
    keywords: list[str]
    is_active: bool = True
    category: str | None = None
    column: str | None = None
