"""A.2.3: the elder's designated organisation first, else the best match by the stated rules.

Rules, in order: approved qualification for the item, serves the elder's street, online; among
those, the lowest current load (orders dispatched, assigned or in service), then the highest
rating, then the lowest id. The choice and the standing of every organisation that serves
the street are stored on the order; those approved elsewhere only as a count.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from operational_api.elders.models import elder_profiles
from operational_api.orders.models import orders
from operational_api.orders.transitions import ACTIVE_AT_ORGANISATION
from operational_api.organisations.models import (
    organisation_streets,
    organisations,
    qualifications,
)


def _approved(conn: Connection, organisation_id: int, item_id: int) -> bool:
    query = select(qualifications.c.id).where(
        qualifications.c.organisation_id == organisation_id,
        qualifications.c.item_id == item_id,
        qualifications.c.status == "approved",
    )
    return conn.execute(query).first() is not None


def _candidates(conn: Connection, item_id: int, street_code: str | None) -> list[dict]:
    """Organisations approved for the item that serve the street: online, rating, and the
    orders each has in hand (dispatched, assigned or in service)."""
    load = (
        select(func.count())
        .where(
            orders.c.organisation_id == organisations.c.id,
            orders.c.state.in_(ACTIVE_AT_ORGANISATION),
        )
        .scalar_subquery()
    )
    query = (
        select(
            organisations.c.id,
            organisations.c.is_online,
            organisations.c.rating,
            load.label("load"),
        )
        .join(qualifications, qualifications.c.organisation_id == organisations.c.id)
        .join(organisation_streets, organisation_streets.c.organisation_id == organisations.c.id)
        .where(
            qualifications.c.item_id == item_id,
            qualifications.c.status == "approved",
            organisation_streets.c.street_code == street_code,
        )
        .order_by(organisations.c.id)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def _approved_elsewhere(conn: Connection, item_id: int, street_code: str | None) -> int:
    """How many organisations are approved for the item but do not serve the street."""
    serves = select(organisation_streets.c.organisation_id).where(
        organisation_streets.c.organisation_id == qualifications.c.organisation_id,
        organisation_streets.c.street_code == street_code,
    )
    query = select(func.count()).where(
        qualifications.c.item_id == item_id,
        qualifications.c.status == "approved",
        ~serves.exists(),
    )
    return conn.execute(query).scalar_one()


def choose(
    conn: Connection,
    *,
    elder_id: int,
    item_id: int,
    street_code: str | None,
    requested_id: int | None = None,
) -> tuple[int | None, dict]:
    """The organisation for a new order and the reasons, as stored in orders.match."""
    designated = (
        requested_id
        or conn.execute(
            select(elder_profiles.c.designated_organisation_id).where(
                elder_profiles.c.elder_id == elder_id
            )
        ).scalar()
    )
    notes = []
    if designated is not None:
        if _approved(conn, designated, item_id):
            how = "requested" if requested_id else "designated"
            return designated, {"rule": how, "chosen": designated, "notes": notes}
        notes.append(f"organisation {designated} is not approved for item {item_id}")
    excluded, eligible = [], []
    for row in _candidates(conn, item_id, street_code):
        if row["is_online"]:
            eligible.append(row)
        else:
            excluded.append({"id": row["id"], "why": "offline"})
    eligible.sort(key=lambda r: (r["load"], -float(r["rating"]), r["id"]))
    ranked = [{"id": r["id"], "load": r["load"], "rating": float(r["rating"])} for r in eligible]
    reasons = {
        "rule": "auto",
        "ranked": ranked,
        "excluded": excluded,
        "elsewhere": _approved_elsewhere(conn, item_id, street_code),
        "notes": notes,
    }
    if not eligible:
        reasons["chosen"] = None
        notes.append("no online organisation approved for the item serves the elder's street")
        return None, reasons
    best = eligible[0]
    reasons["chosen"] = best["id"]
    reasons["why"] = (
        f"qualified, serves street {street_code}, online; lowest load {best['load']}, "
        f"rating {float(best['rating']):.2f}"
    )
    return best["id"], reasons
