"""The service catalogue: columns (栏目) ▸ categories (类别) ▸ items (项目) with 工时, price
and promised response time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Table, select
from sqlalchemy.exc import IntegrityError

from operational_api.audit.service import record
from operational_api.catalogue.models import service_categories, service_columns, service_items
from operational_api.errors import conflict, not_found
from operational_api.lookup import get_or_404
from operational_api.roles import Principal

TABLES = {"column": service_columns, "category": service_categories, "item": service_items}


def create(
    conn: Connection, *, user: Principal | None, kind: str, values: dict, now: datetime
) -> dict:
    """Add a column, category or item; a duplicate name is a 409."""
    table: Table = TABLES[kind]
    try:
        with conn.begin_nested():
            new_id = conn.execute(table.insert().values(**values).returning(table.c.id)).scalar()
    except IntegrityError as exc:
        if "foreign key" in str(exc.orig):
            raise not_found("the parent column or category") from None
        raise conflict(f"a {kind} named {values.get('name')} exists already") from None
    record(
        conn,
        actor=user,
        action=f"catalogue.{kind}.create",
        entity=kind,
        entity_id=new_id,
        now=now,
        after=values,
    )
    return {**values, "id": new_id}


def update_item(
    conn: Connection, *, user: Principal, item_id: int, changes: dict, now: datetime
) -> dict:
    current = get_or_404(
        conn, service_items, service_items.c.id == item_id, what=f"service item {item_id}"
    )
    conn.execute(service_items.update().where(service_items.c.id == item_id).values(**changes))
    record(
        conn,
        actor=user,
        action="catalogue.item.update",
        entity="item",
        entity_id=item_id,
        now=now,
        before={k: current[k] for k in changes},
        after=changes,
    )
    return {**current, **changes}


def tree(conn: Connection) -> list[dict]:
    """Every item with its category and column names."""
    query = (
        select(
            service_items,
            service_categories.c.name.label("category"),
            service_columns.c.name.label("column"),
        )
        .join(service_categories, service_categories.c.id == service_items.c.category_id)
        .join(service_columns, service_columns.c.id == service_categories.c.column_id)
        .order_by(service_items.c.id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]
