"""5.3.2 subsidy parameters: a standard per subsidy type and recipient identity (hardship type,
age band, ability level, residence; null = any), an amount a month and effective dates.

A change is a pending row plus an approval (matter type `subsidy_parameter`); only the final
approval puts it in force, closing the row it replaces the day before. Rows in force keep
their dates, so what was due in any month can be computed under the rules of that month.
Statuses: pending (awaiting approval), in_force (approved; applies within its dates),
superseded (approved, but replaced from its own first month, so it never applied).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Connection, and_, case, or_, select
from sqlalchemy.dialects.postgresql import distinct_on

from operational_api.audit.service import record
from operational_api.errors import conflict
from operational_api.lookup import get_or_404
from operational_api.roles import Principal
from operational_api.subsidies.models import IDENTITY
from operational_api.subsidies.models import subsidy_parameters as params


def _same_identity(row: dict):
    return and_(*(params.c[k].is_not_distinct_from(row[k]) for k in IDENTITY))


def _covering(day: date):
    return and_(
        params.c.effective_from <= day,
        or_(params.c.effective_to.is_(None), params.c.effective_to >= day),
    )


def propose(conn: Connection, *, user: Principal, now: datetime, **values) -> dict:
    """A pending parameter and its approval; it has no effect until the approval completes."""
    from operational_api.approvals import service as approvals

    current = select(params.c.id).where(
        _same_identity(values), params.c.status == "in_force", _covering(values["effective_from"])
    )
    row = {
        **values,
        "status": "pending",
        "replaces_id": conn.execute(current).scalar(),
        "created_at": now,
        "created_by": user.user_id,
    }
    new = dict(conn.execute(params.insert().values(**row).returning(params)).mappings().one())
    record(
        conn,
        actor=user,
        action="subsidy_parameter.propose",
        entity="subsidy_parameter",
        entity_id=new["id"],
        now=now,
        after=row,
    )
    yuan = f"{values['amount_fen'] / 100:.2f}"
    subject = f"{values['subsidy_type']} {yuan} 元/月 from {values['effective_from']:%Y-%m}"
    approval = approvals.submit(
        conn,
        user=user,
        now=now,
        matter_type="subsidy_parameter",
        subject=subject,
        parameter_id=new["id"],
        details={"identity": {k: values[k] for k in IDENTITY}},
    )
    return {**new, "approval_id": approval["id"]}


def activate(conn: Connection, *, parameter_id: int, user: Principal, now: datetime) -> dict:
    """Put an approved parameter in force: the row it replaces ends the day before it starts,
    and rows of the same identity starting on or after it are superseded."""
    new = get_or_404(
        conn, params, params.c.id == parameter_id, what=f"parameter {parameter_id}", lock=True
    )
    if new["status"] != "pending":
        raise conflict(f"parameter {parameter_id} is {new['status']}, not pending")
    start = new["effective_from"]
    same = and_(_same_identity(new), params.c.status == "in_force", params.c.id != parameter_id)
    for old in conn.execute(select(params).where(same).with_for_update()).mappings().all():
        if old["effective_from"] >= start:
            changes = {"status": "superseded"}
        elif old["effective_to"] is None or old["effective_to"] >= start:
            changes = {"effective_to": start - timedelta(days=1)}
        else:
            continue
        conn.execute(params.update().where(params.c.id == old["id"]).values(**changes))
        record(
            conn,
            actor=user,
            action="subsidy_parameter.close",
            entity="subsidy_parameter",
            entity_id=old["id"],
            now=now,
            before={k: old[k] for k in changes},
            after=changes,
        )
    changes = {"status": "in_force", "approved_at": now}
    conn.execute(params.update().where(params.c.id == parameter_id).values(**changes))
    record(
        conn,
        actor=user,
        action="subsidy_parameter.in_force",
        entity="subsidy_parameter",
        entity_id=parameter_id,
        now=now,
        before={"status": "pending"},
        after=changes,
    )
    return {**new, **changes}


def listing(
    conn: Connection,
    *,
    subsidy_type: str | None = None,
    status: str | None = None,
    on: date | None = None,
) -> list[dict]:
    """Parameters by type and status; `on` keeps those in force on that day."""
    query = select(params)
    if subsidy_type:
        query = query.where(params.c.subsidy_type == subsidy_type)
    if status:
        query = query.where(params.c.status == status)
    if on:
        query = query.where(params.c.status == "in_force", _covering(on))
    order = (params.c.subsidy_type, params.c.effective_from, params.c.id)
    return [dict(r) for r in conn.execute(query.order_by(*order)).mappings()]


def get(conn: Connection, *, parameter_id: int) -> dict:
    return get_or_404(conn, params, params.c.id == parameter_id, what=f"parameter {parameter_id}")


def amount_due(
    conn: Connection,
    *,
    month: date,
    age: int,
    hardship_type: str | None,
    ability_level: str | None,
    residence: str | None,
) -> list[dict]:
    """What an identity was due in `month` under the rules in force on its first day, one row
    per subsidy type (the most specific matching parameter). Age is at the month's end."""
    first = month.replace(day=1)

    def fits(column, value):
        return or_(column.is_(None), column == value) if value is not None else column.is_(None)

    specificity = sum(
        case((params.c[k].is_(None), 0), else_=1)
        for k in ("hardship_type", "age_min", "age_max", "ability_level", "residence")
    )
    query = (
        select(
            params.c.subsidy_type,
            params.c.id.label("parameter_id"),
            params.c.amount_fen,
            params.c.is_assumed,
        )
        .where(
            params.c.status == "in_force",
            _covering(first),
            fits(params.c.hardship_type, hardship_type),
            fits(params.c.ability_level, ability_level),
            fits(params.c.residence, residence),
            or_(params.c.age_min.is_(None), params.c.age_min <= age),
            or_(params.c.age_max.is_(None), params.c.age_max >= age),
        )
        .ext(distinct_on(params.c.subsidy_type))
        .order_by(params.c.subsidy_type, specificity.desc(), params.c.id.desc())
    )
    return [dict(r) for r in conn.execute(query).mappings()]
