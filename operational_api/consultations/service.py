"""A.2.2 consultations: answered directly, or referred to the department that can; then closed."""

from __future__ import annotations

from datetime import datetime

from operational_api.orders.service import transition
from operational_api.roles import Principal


def answer(conn, *, user: Principal, order_id: int, answer: str, now: datetime) -> dict:
    values = {"answer": answer}
    return transition(conn, user=user, order_id=order_id, action="answer", now=now, values=values)


def refer(
    conn, *, user: Principal, order_id: int, referred_to: str, note: str | None, now: datetime
) -> dict:
    values = {"referred_to": referred_to, "answer": note}
    return transition(conn, user=user, order_id=order_id, action="refer", now=now, values=values)


def close(conn, *, user: Principal, order_id: int, now: datetime) -> dict:
    return transition(conn, user=user, order_id=order_id, action="close", now=now)
