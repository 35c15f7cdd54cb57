"""5.4.2 approvals: a configurable chain of levels per matter type (e.g. community → street →
district); community and street staff submit, supervisors at each level approve or return with
a reason, the submitter may resubmit, and anyone in scope can follow the status. Every step is
audited and logged in `ops.approval_steps`.

The chain is copied onto a submission, so changing the configuration affects only new ones.
Steps below the submitter's own level are skipped (a street's submission starts at street).
"""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from operational_api.approvals.models import approval_chains, approval_steps, approvals
from operational_api.audit.service import record
from operational_api.elders.models import elders
from operational_api.errors import AppError, conflict, forbidden
from operational_api.lookup import get_or_404
from operational_api.organisations.models import organisations
from operational_api.roles import COMMUNITY_STAFF, STREET_STAFF, SUPERVISOR, Principal
from operational_api.scope import area_scope

LEVELS = ("community", "street", "district", "city")
RANK = {level: n for n, level in enumerate(LEVELS)}
READERS = (SUPERVISOR, COMMUNITY_STAFF, STREET_STAFF)
SUBMITTERS = {
    "subsidy_application": (COMMUNITY_STAFF, STREET_STAFF),
    "preferential_card": (COMMUNITY_STAFF, STREET_STAFF),
    "organisation_qualification": (COMMUNITY_STAFF, STREET_STAFF),
    "subsidy_parameter": (SUPERVISOR,),
}
ALLOWED_FROM = {"approve": ("pending",), "return": ("pending",), "resubmit": ("returned",)}


def area_of(user: Principal) -> dict:
    """The division codes of a submission, from the submitter's own scope."""
    code, level = user.scope_code, user.scope_level
    if level == "community":
        return {
            "community_code": code,
            "street_code": code[:9] + "000",
            "district_code": code[:6] + "000000",
        }
    if level == "street":
        return {"street_code": code, "district_code": code[:6] + "000000"}
    return {"district_code": code} if level == "district" else {}


def _level_of(row: dict) -> str:
    for level in ("community", "street", "district"):
        if row.get(f"{level}_code"):
            return level
    return "city"


def _first_step(chain: list[str], level: str) -> int | None:
    return next((n for n, step in enumerate(chain, 1) if RANK[step] >= RANK[level]), None)


def _log(conn, approval_id, step_no, level, action, user, now, note=None) -> None:
    conn.execute(
        insert(approval_steps).values(
            approval_id=approval_id,
            step_no=step_no,
            scope_level=level,
            action=action,
            actor_id=user.user_id if user else None,
            at=now,
            note=note,
        )
    )


def chain_of(conn: Connection, *, matter_type: str) -> list[str]:
    query = select(approval_chains.c.scope_level).where(
        approval_chains.c.matter_type == matter_type
    )
    return list(conn.execute(query.order_by(approval_chains.c.step_no)).scalars())


def set_chain(
    conn: Connection, *, user: Principal, matter_type: str, levels: list[str], now: datetime
) -> list[str]:
    """Configure a matter type's chain (system administrator); levels must rise strictly."""
    if any(RANK[a] >= RANK[b] for a, b in itertools.pairwise(levels)):
        raise AppError(
            422,
            "invalid_request",
            "a chain's levels must rise: community, street, "
            f"district, city (got {', '.join(levels)})",
        )
    before = chain_of(conn, matter_type=matter_type)
    conn.execute(delete(approval_chains).where(approval_chains.c.matter_type == matter_type))
    conn.execute(
        insert(approval_chains),
        [
            {"matter_type": matter_type, "step_no": n, "scope_level": level}
            for n, level in enumerate(levels, 1)
        ],
    )
    record(
        conn,
        actor=user,
        action="approval_chain.set",
        entity="approval_chain",
        entity_id=matter_type,
        now=now,
        before={"levels": before},
        after={"levels": levels},
    )
    return levels


def submit(
    conn: Connection,
    *,
    user: Principal,
    now: datetime,
    matter_type: str,
    subject: str,
    elder_id: int | None = None,
    organisation_id: int | None = None,
    parameter_id: int | None = None,
    details: dict | None = None,
) -> dict:
    """File a matter for approval at the submitter's area; it waits at the first step at or
    above the submitter's level."""
    if user.role not in SUBMITTERS[matter_type]:
        raise forbidden(
            f"role {user.role} may not submit {matter_type}; it needs one of: "
            f"{', '.join(SUBMITTERS[matter_type])}"
        )
    if elder_id is not None:
        scope = area_scope(user, elders, readers=(user.role,))
        get_or_404(
            conn,
            select(elders.c.elder_id),
            elders.c.elder_id == elder_id,
            scope,
            what=f"elder {elder_id}",
        )
    if organisation_id is not None:
        get_or_404(
            conn,
            select(organisations.c.id),
            organisations.c.id == organisation_id,
            what=f"organisation {organisation_id}",
        )
    chain = chain_of(conn, matter_type=matter_type)
    first = _first_step(chain, user.scope_level)
    if first is None:
        raise AppError(
            422,
            "invalid_request",
            f"no step of the {matter_type} chain "
            f"({', '.join(chain)}) is at or above your level {user.scope_level}",
        )
    values = {
        "matter_type": matter_type,
        "subject": subject,
        "elder_id": elder_id,
        "organisation_id": organisation_id,
        "parameter_id": parameter_id,
        **area_of(user),
        "details": details,
        "chain": chain,
        "state": "pending",
        "current_step": first,
        "submitted_by": user.user_id,
        "submitted_at": now,
        "updated_at": now,
    }
    new_id = conn.execute(approvals.insert().values(**values).returning(approvals.c.id)).scalar()
    _log(conn, new_id, None, None, "submit", user, now)
    for n in range(1, first):
        _log(conn, new_id, n, chain[n - 1], "skip", user, now, "below the submitter's level")
    record(
        conn,
        actor=user,
        action="approval.submit",
        entity="approval",
        entity_id=new_id,
        now=now,
        after=values,
    )
    return get(conn, user=user, approval_id=new_id)


def _visible(user: Principal):
    return area_scope(user, approvals, readers=READERS) | (approvals.c.submitted_by == user.user_id)


def _present(conn: Connection, row: dict) -> dict:
    steps = select(approval_steps).where(approval_steps.c.approval_id == row["id"])
    awaiting = row["chain"][row["current_step"] - 1] if row["state"] == "pending" else None
    return {
        **row,
        "awaiting": awaiting,
        "steps": [dict(s) for s in conn.execute(steps.order_by(approval_steps.c.id)).mappings()],
    }


def get(conn: Connection, *, user: Principal, approval_id: int, lock: bool = False) -> dict:
    """One approval in the caller's scope with its decision log."""
    row = get_or_404(
        conn,
        approvals,
        approvals.c.id == approval_id,
        _visible(user),
        what=f"approval {approval_id}",
        lock=lock,
    )
    return _present(conn, row)


def list_for(
    conn: Connection,
    *,
    user: Principal,
    state: str | None = None,
    matter_type: str | None = None,
    awaiting_me: bool = False,
    limit: int = 100,
) -> list[dict]:
    """Approvals in scope, newest first; `awaiting_me` keeps those at the caller's level."""
    query = select(approvals).where(_visible(user))
    if state:
        query = query.where(approvals.c.state == state)
    if matter_type:
        query = query.where(approvals.c.matter_type == matter_type)
    if awaiting_me:
        query = query.where(
            approvals.c.state == "pending",
            approvals.c.chain[approvals.c.current_step] == user.scope_level,
        )
    rows = conn.execute(query.order_by(approvals.c.id.desc()).limit(limit)).mappings().all()
    return [_present(conn, dict(r)) for r in rows]


def _check(row: dict, action: str) -> None:
    if row["state"] not in ALLOWED_FROM[action]:
        raise conflict(
            f"cannot {action} approval {row['id']}: its current state is '{row['state']}'; "
            f"{action} needs one of: {', '.join(ALLOWED_FROM[action])}",
            "illegal_transition",
        )


def _may_decide(user: Principal, row: dict) -> None:
    level = row["chain"][row["current_step"] - 1]
    covers = level == "city" or row.get(f"{level}_code") == user.scope_code
    if user.role != SUPERVISOR or user.scope_level != level or not covers:
        raise forbidden(
            f"step {row['current_step']} of approval {row['id']} awaits a {level}-level "
            f"supervisor of its area; you are {user.role} at {user.scope_level} level"
        )
    if user.user_id == row["submitted_by"]:
        raise forbidden("you submitted this matter: another approver must decide it")


def _change(conn, user, row, changes, action, now, note) -> dict:
    changes["updated_at"] = now
    conn.execute(approvals.update().where(approvals.c.id == row["id"]).values(**changes))
    step = row["current_step"]
    _log(conn, row["id"], step, row["chain"][step - 1] if step else None, action, user, now, note)
    record(
        conn,
        actor=user,
        action=f"approval.{action}",
        entity="approval",
        entity_id=row["id"],
        now=now,
        before={k: row[k] for k in changes},
        after={**changes, "note": note},
    )
    return get(conn, user=user, approval_id=row["id"])


def approve(
    conn: Connection, *, user: Principal, approval_id: int, note: str | None, now: datetime
) -> dict:
    """Approve the awaited step; the last one completes the matter (and applies its effect)."""
    row = get(conn, user=user, approval_id=approval_id, lock=True)
    _check(row, "approve")
    _may_decide(user, row)
    if row["current_step"] < len(row["chain"]):
        return _change(
            conn, user, row, {"current_step": row["current_step"] + 1}, "approve", now, note
        )
    done = _change(conn, user, row, {"state": "approved", "decided_at": now}, "approve", now, note)
    if row["matter_type"] == "subsidy_parameter":
        from operational_api.subsidies import service as subsidies

        subsidies.activate(conn, parameter_id=row["parameter_id"], user=user, now=now)
    return done


def send_back(
    conn: Connection, *, user: Principal, approval_id: int, reason: str, now: datetime
) -> dict:
    """Return the matter to its submitter with a reason."""
    row = get(conn, user=user, approval_id=approval_id, lock=True)
    _check(row, "return")
    _may_decide(user, row)
    changes = {"state": "returned", "return_reason": reason, "decided_at": now}
    return _change(conn, user, row, changes, "return", now, reason)


def resubmit(
    conn: Connection, *, user: Principal, approval_id: int, note: str | None, now: datetime
) -> dict:
    """The submitter files a returned matter again; it restarts at its first step."""
    row = get(conn, user=user, approval_id=approval_id, lock=True)
    _check(row, "resubmit")
    if row["submitted_by"] != user.user_id:
        raise forbidden("only the submitter may resubmit a returned matter")
    first = _first_step(row["chain"], _level_of(row))
    changes = {"state": "pending", "current_step": first, "return_reason": None, "decided_at": None}
    return _change(conn, user, row, changes, "resubmit", now, note)
