"""A.3.1 review before dispatch: required fields, enough content, no placeholder text, and a
description that fits the chosen service item (with the reason when it does not)."""

from __future__ import annotations

import re

from sqlalchemy import Connection, select

from operational_api.catalogue.models import service_items

PLACEHOLDERS = re.compile(
    r"^(test|testing|tbd|todo|xxx+|asdf|n/?a|none|null|无|略|待定|待补充|同上|测试|请填写|"
    r"[?？.。…\-_*]+)$|请填写|xxx|测试数据|lorem ipsum",
    re.IGNORECASE,
)


def _items(conn: Connection) -> list[dict]:
    query = select(service_items.c.id, service_items.c.name, service_items.c.keywords)
    return [dict(row) for row in conn.execute(query).mappings()]


def _mentions(text: str, item: dict) -> bool:
    words = [item["name"], *(item["keywords"] or [])]
    return any(word and word in text for word in words)


def problems(conn: Connection, order: dict, *, min_chars: int) -> list[dict]:
    """Every reason the order may not be dispatched yet; empty when it passes review."""
    found = []
    text = (order.get("description") or "").strip()
    for field in ("elder_id", "item_id", "description", "due_at"):
        if not order.get(field):
            found.append({"field": field, "message": f"{field} is required"})
    if order.get("organisation_id") is None:
        found.append(
            {"field": "organisation_id", "message": "no organisation chosen: set one with PATCH"}
        )
    if text and PLACEHOLDERS.search(text):
        found.append({"field": "description", "message": "the description is placeholder text"})
    elif text and len(text) < min_chars:
        found.append(
            {
                "field": "description",
                "message": f"the description is too short ({len(text)} < {min_chars} characters)",
            }
        )
    items = _items(conn)
    chosen = next((i for i in items if i["id"] == order.get("item_id")), None)
    if text and chosen and not _mentions(text, chosen):
        better = [i["name"] for i in items if i["id"] != chosen["id"] and _mentions(text, i)]
        hint = f"; it reads like: {', '.join(better)}" if better else ""
        found.append(
            {
                "field": "item_id",
                "message": f"the description does not fit the chosen item '{chosen['name']}' "
                f"(mentions none of: {', '.join([chosen['name'], *chosen['keywords']])}){hint}",
            }
        )
    return found
