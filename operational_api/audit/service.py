"""Append to the audit log and verify its hash chain.

Each row's hash is sha256(prev_hash + canonical JSON of the row). The chain needs one order,
so appends take a transaction advisory lock; to hold it for as short a time as possible, a
transaction's entries are queued on its connection by `record` and written by `seal` just
before COMMIT (an engine event installed by `install`), and dropped on ROLLBACK, so the log
holds exactly the writes that were committed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Connection, Engine, event, select, text

from operational_api.audit.models import audit_log
from operational_api.roles import Principal

GENESIS = "0" * 64
CHAIN_LOCK = 7_202_306  # advisory-lock key of the chain


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def jsonable(data) -> object:
    """Data as it will read back from jsonb: dates and decimals as strings."""
    return None if data is None else json.loads(json.dumps(data, default=_plain))


def row_hash(prev_hash: str, row: dict) -> str:
    fields = {k: row[k] for k in ("id", "actor_id", "actor_role", "action", "entity", "entity_id")}
    fields |= {"at": _plain(row["at"]), "before": row["before"], "after": row["after"]}
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


PENDING = "eldercare_audit_pending"


def install(engine: Engine) -> None:
    """Seal queued entries into the chain before each commit; forget them on rollback."""
    event.listen(engine, "commit", seal)
    event.listen(engine, "rollback", lambda conn: conn.info.pop(PENDING, None))


def seal(conn: Connection) -> None:
    """Write the transaction's queued entries at the head of the chain."""
    pending = conn.info.pop(PENDING, None)
    if not pending:
        return
    conn.execute(text("select pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
    last = conn.execute(select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1))
    prev = last.scalar() or GENESIS
    rows = []
    for row in pending:
        row["id"] = conn.execute(text("select nextval('ops.audit_log_id_seq')")).scalar()
        row["prev_hash"], row["hash"] = prev, row_hash(prev, row)
        prev = row["hash"]
        rows.append(row)
    conn.execute(audit_log.insert(), rows)


def record(
    conn: Connection,
    *,
    actor: Principal | None,
    action: str,
    entity: str,
    entity_id: object,
    now: datetime,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Queue who/when/what/before/after for the chain; written at commit."""
    row = {
        "at": now,
        "actor_id": actor.user_id if actor else None,
        "actor_role": actor.role if actor else "system",
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": jsonable(before),
        "after": jsonable(after),
    }
    conn.info.setdefault(PENDING, []).append(row)


def verify(conn: Connection) -> tuple[int, list[str]]:
    """Walk the chain; the number of rows and one problem per altered or missing row."""
    problems, prev, count = [], GENESIS, 0
    rows = conn.execute(select(audit_log).order_by(audit_log.c.id)).mappings()
    for row in rows:
        count += 1
        if row["prev_hash"] != prev:
            problems.append(
                f"row {row['id']}: its previous hash does not match the row before it "
                "(a row before it was deleted or altered)"
            )
        if row_hash(row["prev_hash"], dict(row)) != row["hash"]:
            problems.append(f"row {row['id']}: content changed since it was written")
        prev = row["hash"]
    return count, problems
