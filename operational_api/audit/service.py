"""Append to the audit log and verify its hash chain.

A write inserts its audit row in its own transaction, unsealed: no lock is taken, so writes no
longer queue on the chain. The sealer (sealer.py) then chains committed rows in the order it
finds them: each row's `hash` is sha256(prev_hash + canonical JSON of the row) and `chain_seq`
its place in the chain. `verify` walks the chain in that order, and reports the rows not yet
sealed, which it cannot vouch for.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Connection, func, select

from operational_api.audit.models import audit_log
from operational_api.roles import Principal

GENESIS = "0" * 64


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
    """Append who/when/what/before/after in the caller's transaction; sealed after commit."""
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
    conn.execute(audit_log.insert(), row)


@dataclass
class Verdict:
    """What `verify` found: sealed rows walked, problems, and rows not yet sealed."""

    rows: int = 0
    problems: list[str] = field(default_factory=list)
    unsealed: int = 0
    oldest_unsealed_at: datetime | None = None


def verify(conn: Connection) -> Verdict:
    """Walk the chain in sealing order: one problem per altered or missing row."""
    verdict, prev = Verdict(), GENESIS
    chain = select(audit_log).where(audit_log.c.chain_seq.is_not(None))
    for row in conn.execute(chain.order_by(audit_log.c.chain_seq)).mappings():
        verdict.rows += 1
        if row["prev_hash"] != prev:
            verdict.problems.append(
                f"row {row['id']}: its previous hash does not match the row before it "
                "(a row before it was deleted or altered)"
            )
        if row_hash(row["prev_hash"], dict(row)) != row["hash"]:
            verdict.problems.append(f"row {row['id']}: content changed since it was written")
        prev = row["hash"]
    pending = select(func.count(), func.min(audit_log.c.at)).where(audit_log.c.hash.is_(None))
    verdict.unsealed, verdict.oldest_unsealed_at = conn.execute(pending).one()
    return verdict
