from fastapi import APIRouter
from sqlalchemy import select

from operational_api.audit import service
from operational_api.audit.models import audit_log
from operational_api.deps import Conn, caller
from operational_api.roles import AUDITOR

router = APIRouter(prefix="/audit", tags=["audit"])
Auditor = caller(AUDITOR)


@router.get("")
def read_log(
    conn: Conn,
    user: Auditor,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = 100,
) -> list[dict]:
    """The audit log, newest first (audit administrator)."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(min(limit, 1000))
    if entity:
        query = query.where(audit_log.c.entity == entity)
    if entity_id:
        query = query.where(audit_log.c.entity_id == entity_id)
    return [dict(r) for r in conn.execute(query).mappings()]


@router.get("/verify")
def verify(conn: Conn, user: Auditor) -> dict:
    """Walk the hash chain and list every altered or missing row, and count the rows not yet
    sealed (written in the last moments; the chain cannot vouch for them yet)."""
    found = service.verify(conn)
    return {
        "rows": found.rows,
        "intact": not found.problems,
        "problems": found.problems,
        "unsealed": found.unsealed,
        "oldest_unsealed_at": found.oldest_unsealed_at,
    }
