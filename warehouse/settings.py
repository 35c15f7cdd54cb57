"""Typed loading of warehouse.yml, the platform's one configuration file.

Unknown keys are refused and every error names the key and the file, so a typo in the
configuration fails loudly instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

CHECKOUT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = CHECKOUT_ROOT / "warehouse.yml"
CONFIG_ENV = "ELDERCARE_CONFIG"

# Environment variables that override the store's location, so that the same checkout can
# be pointed at an external PostgreSQL server without editing the file.
STORE_ENV_OVERRIDES = {
    "ELDERCARE_STORE_TARGET": "target",
    "ELDERCARE_STORE_HOST": "host",
    "ELDERCARE_STORE_PORT": "port",
    "ELDERCARE_STORE_ADMIN_USER": "admin_user",
}


class ConfigError(Exception):
    """warehouse.yml is missing, unreadable or invalid."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Databases(Strict):
    warehouse: str = "eldercare"
    dagster: str = "eldercare_dagster"
    superset: str = "eldercare_superset"


class Roles(Strict):
    """Login roles of least privilege; passwords come from ELDERCARE_<ROLE>_PASSWORD."""

    migrator: str = "eldercare_migrator"
    pipeline: str = "eldercare_pipeline"
    api: str = "eldercare_api"
    bi: str = "eldercare_bi"
    analyst: str = "eldercare_analyst"
    superset: str = "eldercare_superset"


class Embedded(Strict):
    bindir: Path | None = None
    os_user: str = "postgres"
    tuning: dict[str, str] = Field(default_factory=dict)


class Store(Strict):
    target: Literal["embedded", "external"] = "embedded"
    host: str = "127.0.0.1"
    port: int = Field(default=54329, ge=1, le=65535)
    admin_user: str = "eldercare_admin"
    databases: Databases = Databases()
    roles: Roles = Roles()
    schemas: tuple[str, ...] = (
        "raw",
        "quarantine",
        "linkage",
        "ops",
        "staging",
        "intermediate",
        "marts",
        "partitions",
        "quality",
    )
    embedded: Embedded = Embedded()


class FeedSettings(Strict):
    """How one agency's delivered columns map onto canonical fields."""

    columns: dict[str, str]
    required: tuple[str, ...] = ()


class Sample(Strict):
    """The generated sample feeds that `make run` and `eldercare run` use by default."""

    landing: Path = Path(".eldercare/sample/landing")
    truth: Path = Path(".eldercare/sample/truth")
    elders: int = Field(default=2000, ge=1)
    months: str = Field(default="2024-10:2026-10", pattern=r"^\d{4}-\d{2}:\d{4}-\d{2}$")
    seed: int = 20261126
    defect_rates: dict[str, float] = Field(default_factory=dict)


class CheckOverride(Strict):
    """A raw-feed check's threshold (share of rows that must pass) or severity, changed."""

    threshold: float | None = Field(default=None, ge=0, le=1)
    severity: Literal["error", "warning"] | None = None


class Quality(Strict):
    """Validation: `checks` is keyed "<source>.<check name>" (see quality/validation/checks.py)."""

    examples: int = Field(default=5, ge=0, le=100)
    checks: dict[str, CheckOverride] = Field(default_factory=dict)


class Dagster(Strict):
    host: str = "127.0.0.1"
    port: int = Field(default=3000, ge=1, le=65535)


class Api(Strict):
    """The operational API; its JWT secret comes from ELDERCARE_API_SECRET, never from here."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    repeat_request_window_hours: int = Field(default=72, ge=1)
    repeat_request_threshold: int = Field(default=3, ge=2)
    complaint_reply_hours: int = Field(default=72, ge=1)
    min_description_chars: int = Field(default=8, ge=1)
    alarm_escalation_minutes: int = Field(default=5, ge=1, le=24 * 60)
    no_activity_hours: int = Field(default=12, ge=1, le=24 * 7)
    device_batch_max: int = Field(default=500, ge=1, le=10_000)


class Superset(Strict):
    """Superset (dashboards/README.md); its secret key and admin password come from the
    environment (ELDERCARE_SUPERSET_SECRET, ELDERCARE_SUPERSET_ADMIN_PASSWORD), never from here."""

    host: str = "127.0.0.1"
    port: int = Field(default=8088, ge=1, le=65535)
    admin_user: str = "admin"
    workers: int = Field(default=2, ge=1, le=16)
    venv: Path = Path(".eldercare/superset-venv")  # its own pinned environment


class Linkage(Strict):
    """Record linkage: score thresholds of the match and review bands, and working sizes."""

    match_threshold: float = Field(default=0.9, gt=0, lt=1)
    review_threshold: float = Field(default=0.5, gt=0, lt=1)
    chunk_size: int = Field(default=500_000, ge=1000)
    training_pairs: int = Field(default=500_000, ge=1000)
    max_block_size: int = Field(default=200, ge=2)
    neighbourhood_window: int = Field(default=2, ge=1)
    supervised_min_labels: int = Field(default=20, ge=2)
    report_dir: Path = Path(".eldercare/reports")


class Settings(Strict):
    state_dir: Path = Path(".eldercare")
    landing: Path = Path("tests/fixtures/landing")
    first_delivery_month: str = Field(default="2024-10", pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    store: Store = Store()
    feeds: dict[str, FeedSettings] = Field(default_factory=dict)
    sample: Sample = Sample()
    quality: Quality = Quality()
    dagster: Dagster = Dagster()
    dbt_project_dir: Path = Path("dbt_project")
    api: Api = Api()
    linkage: Linkage = Linkage()
    superset: Superset = Superset()

    config_path: Path = Field(default=DEFAULT_CONFIG, exclude=True)

    def resolve(self, path: Path) -> Path:
        """A path from the file, taken relative to the file's folder."""
        return path if path.is_absolute() else (self.config_path.parent / path).resolve()

    @property
    def state_path(self) -> Path:
        return self.resolve(self.state_dir)

    @property
    def landing_path(self) -> Path:
        return self.resolve(self.landing)

    @property
    def dbt_path(self) -> Path:
        return self.resolve(self.dbt_project_dir)


def _format_error(error: ValidationError, path: Path) -> str:
    lines = [f"{path}: invalid configuration"]
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"])
        if item["type"] == "extra_forbidden":
            lines.append(f"  unknown key '{key}' (check its spelling)")
        else:
            lines.append(f"  {key}: {item['msg']}")
    return "\n".join(lines)


def _apply_env(data: dict) -> dict:
    store = dict(data.get("store") or {})
    for variable, key in STORE_ENV_OVERRIDES.items():
        if os.environ.get(variable):
            store[key] = os.environ[variable]
    return {**data, "store": store} if store else data


def load_settings(path: Path | str | None = None, **overrides) -> Settings:
    """Read warehouse.yml (or $ELDERCARE_CONFIG) into Settings; overrides replace top-level keys."""
    config_path = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG).resolve()
    try:
        data = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"{config_path}: configuration file not found") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{config_path}: expected a mapping at the top level")
    data = _apply_env({**data, **overrides})
    try:
        return Settings(**data, config_path=config_path)
    except ValidationError as exc:
        raise ConfigError(_format_error(exc, config_path)) from None
