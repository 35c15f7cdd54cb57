"""An organisation's evaluation: volumes, satisfaction, supervision cases (A.5.3), complaints.

score = 20 × mean satisfaction (0–100) − 5 per supervision case per 100 orders − 5 per
complaint per 100 orders, floored at 0.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from operational_api.complaints.models import complaints
from operational_api.orders.models import orders
from operational_api.supervision.models import supervisions


def evaluate(conn: Connection, *, organisation_id: int) -> dict:
    counts = (
        conn.execute(
            select(
                func.count().label("orders"),
                func.count().filter(orders.c.state == "closed").label("closed"),
                func.avg(orders.c.satisfaction).label("mean_satisfaction"),
                func.coalesce(func.sum(orders.c.hours), 0).label("hours"),
                func.count().filter(orders.c.dispatch_count > 1).label("second_dispatches"),
            ).where(orders.c.organisation_id == organisation_id)
        )
        .mappings()
        .one()
    )
    cases = dict(
        conn.execute(
            select(supervisions.c.trigger, func.count())
            .where(supervisions.c.organisation_id == organisation_id)
            .group_by(supervisions.c.trigger)
        ).all()
    )
    complaint_count = conn.execute(
        select(func.count()).where(complaints.c.organisation_id == organisation_id)
    ).scalar()
    total = counts["orders"] or 0
    mean = float(counts["mean_satisfaction"]) if counts["mean_satisfaction"] else None
    per_hundred = 100 / total if total else 0
    penalty = 5 * sum(cases.values()) * per_hundred + 5 * complaint_count * per_hundred
    score = max(0.0, 20 * (mean or 3) - penalty)
    return {
        "organisation_id": organisation_id,
        "orders": total,
        "closed": counts["closed"],
        "hours": float(counts["hours"]),
        "second_dispatches": counts["second_dispatches"],
        "mean_satisfaction": mean,
        "supervision_cases": cases,
        "complaints": complaint_count,
        "score": round(score, 1),
    }
