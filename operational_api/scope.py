"""Row filters by the caller's scope: every query on elders, orders and cases goes through one.

A supervisor sees their district, street or community; an organisation its own; staff their
own orders; an elder themself; the three administrators see no elder or order data at all.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, select, true, union

from operational_api.errors import forbidden
from operational_api.roles import (
    CITY_WIDE,
    ELDER,
    ORG_ADMIN,
    STAFF,
    SUPERVISOR,
    Principal,
)


def _area(user: Principal, table: Table) -> ColumnElement[bool]:
    if user.scope_level == "city":
        return true()
    return table.c[f"{user.scope_level}_code"] == user.scope_code


def area_scope(user: Principal, table: Table, *, readers: tuple[str, ...]) -> ColumnElement[bool]:
    """Tables with area columns and an elder: the call centre (city-wide roles among `readers`)
    sees all, scoped roles their area, an elder themself; any role not in `readers` gets 403."""
    if user.role not in readers:
        raise forbidden(f"role {user.role} has no access to these records")
    if user.role in CITY_WIDE:
        return true()
    if user.role == ELDER:
        return table.c.elder_id == user.elder_id
    if user.scope_level:
        return _area(user, table)
    raise forbidden(f"role {user.role} has no access to these records")


def case_scope(user: Principal, table: Table) -> ColumnElement[bool]:
    """Orders, supervisions and complaints: tables with organisation and area columns."""
    if user.role in CITY_WIDE:
        return true()
    if user.role == SUPERVISOR:
        return _area(user, table)
    if user.role == ORG_ADMIN:
        return table.c.organisation_id == user.organisation_id
    if user.role == STAFF and "staff_id" in table.c:
        return table.c.staff_id == user.user_id
    if user.role == ELDER and "elder_id" in table.c:
        return table.c.elder_id == user.elder_id
    raise forbidden(f"role {user.role} has no access to elders' cases")


def elder_scope(user: Principal, elders: Table) -> ColumnElement[bool]:
    """Elders the caller may read."""
    from operational_api.orders.models import orders
    from operational_api.organisations.models import agreements

    if user.role in CITY_WIDE:
        return true()
    if user.role == SUPERVISOR:
        return _area(user, elders)
    if user.role == ELDER:
        return elders.c.elder_id == user.elder_id
    if user.role == ORG_ADMIN:
        served = union(
            select(orders.c.elder_id).where(orders.c.organisation_id == user.organisation_id),
            select(agreements.c.elder_id).where(
                agreements.c.organisation_id == user.organisation_id
            ),
        )
        return elders.c.elder_id.in_(served)
    if user.role == STAFF:
        mine = select(orders.c.elder_id).where(orders.c.staff_id == user.user_id)
        return elders.c.elder_id.in_(mine)
    raise forbidden(f"role {user.role} has no access to elder records")
