from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

DeviceKind = Literal[
    "watch",
    "fall_detector",
    "smoke_sensor",
    "gas_sensor",
    "door_sensor",
    "camera",
    "one_key_terminal",
]
EventKind = Literal[
    "location",
    "heartbeat",
    "fall",
    "sos",
    "smoke",
    "gas",
    "door_open",
    "no_activity",
    "camera_ref",
    "one_key",
]


class DeviceIn(BaseModel):
    kind: DeviceKind
    serial_no: str = Field(min_length=3, max_length=64)
    elder_id: int
    install_address: str = Field(min_length=2, max_length=200)
    camera_ref: str | None = Field(default=None, max_length=500, description="cameras: stream")


class DeviceChange(BaseModel):
    status: Literal["active", "inactive", "retired"] | None = None
    install_address: str | None = Field(default=None, min_length=2, max_length=200)


class DeviceOut(BaseModel):
    id: int
    kind: str
    serial_no: str
    elder_id: int
    district_code: str | None
    street_code: str | None
    community_code: str | None
    install_address: str
    camera_ref: str | None
    status: str
    registered_at: datetime


class DeviceWithKey(DeviceOut):
    key: str = Field(description="shown once: the device sends it as X-Device-Key")


class EventIn(BaseModel):
    """One event as a device posts it."""

    model_config = ConfigDict(extra="forbid")

    kind: EventKind
    at: AwareDatetime = Field(description="when it happened, with a UTC offset")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    hours: float | None = Field(default=None, gt=0, le=24 * 30, description="no_activity: hours")
    battery: int | None = Field(default=None, ge=0, le=100)
    camera_ref: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _fields_of_kind(self):
        if self.kind == "no_activity" and self.hours is None:
            raise ValueError("a no_activity event needs hours")
        if self.kind == "camera_ref" and not self.camera_ref:
            raise ValueError("a camera_ref event needs camera_ref")
        if self.kind == "location" and (self.latitude is None or self.longitude is None):
            raise ValueError("a location event needs latitude and longitude")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude come together")
        return self


class Batch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[EventIn] = Field(min_length=1)


class EventOut(BaseModel):
    id: int
    device_id: int
    elder_id: int
    kind: str
    occurred_at: datetime
    received_at: datetime
    latitude: Decimal | None
    longitude: Decimal | None
    hours: Decimal | None
    battery: int | None
    camera_ref: str | None
    is_alarm: bool


class RejectedOut(BaseModel):
    id: int
    received_at: datetime
    device_id: int | None
    claimed_device_id: str | None
    status: int
    reason: str
    body: str | None
