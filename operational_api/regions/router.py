from fastapi import APIRouter

from operational_api.deps import Conn, CurrentUser, caller
from operational_api.regions import service
from operational_api.regions.schemas import Region
from operational_api.roles import SYSADMIN

router = APIRouter(prefix="/regions", tags=["base data"])


@router.get("", response_model=list[Region])
def list_regions(
    conn: Conn, user: CurrentUser, parent_code: str | None = None, level: str | None = None
):
    """Divisions, optionally the children of one or those of one level."""
    return service.children(conn, parent_code=parent_code, level=level)


@router.put("", status_code=200)
def upsert_regions(body: list[Region], conn: Conn, user: caller(SYSADMIN)) -> dict:
    """Insert or update divisions (system administrator)."""
    return {"upserted": service.upsert(conn, rows=[r.model_dump() for r in body])}
