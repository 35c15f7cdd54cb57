from typing import Literal

from pydantic import BaseModel, Field


class Region(BaseModel):
    code: str = Field(pattern=r"^\d{12}(\d{3})?$")
    name: str
    level: Literal["district", "street", "community", "grid"]
    parent_code: str | None = None
