"""The call centre over HTTP (5.5.1); routes delegate to calls.service."""

from typing import Literal

from fastapi import APIRouter

from operational_api.calls import service
from operational_api.calls.schemas import Answer, Referral, TicketIn, TicketOrder, TicketOut
from operational_api.deps import Config, Conn, Now, caller
from operational_api.devices import ingest
from operational_api.roles import ELDER, OPERATOR, SUPERVISOR

router = APIRouter(prefix="/calls", tags=["call centre"])
Operator = caller(OPERATOR)
Readers = caller(OPERATOR, SUPERVISOR, ELDER)


@router.post("", response_model=TicketOut, status_code=201)
def take_call(body: TicketIn, conn: Conn, now: Now, user: Operator):
    """Open a ticket for a call taken by phone: a one-key call or a consultation."""
    return service.take_call(conn, user=user, now=now, **body.model_dump())


@router.get("/queue", response_model=list[TicketOut])
def operators_queue(conn: Conn, now: Now, config: Config, user: caller(OPERATOR, SUPERVISOR)):
    """Open and escalated tickets in your scope, escalated first (escalates overdue ones first)."""
    return service.queue(conn, user=user, api=config.api, now=now)


@router.post("/sweep")
def sweep(conn: Conn, now: Now, config: Config, user: caller(OPERATOR, SUPERVISOR)) -> dict:
    """Raise alarms for silent devices and escalate unanswered alarms now (the app also does
    it every minute; queue reads escalate too)."""
    api = config.api
    silent = ingest.detect_inactivity(conn, now=now, hours=api.no_activity_hours)
    escalated = service.escalate_overdue(conn, now=now, minutes=api.alarm_escalation_minutes)
    return {"no_activity": silent, "escalated": escalated}


@router.get("", response_model=list[TicketOut])
def list_calls(
    conn: Conn,
    user: Readers,
    elder_id: int | None = None,
    state: Literal["open", "escalated", "answered", "referred", "closed"] | None = None,
    kind: Literal["one_key", "alarm", "consultation"] | None = None,
    limit: int = 100,
):
    """Tickets in your scope, newest first; `elder_id` gives one elder's calls."""
    states = (state,) if state else None
    return service.list_for(
        conn, user=user, states=states, elder_id=elder_id, kind=kind, limit=min(limit, 1000)
    )


@router.get("/{ticket_id}", response_model=TicketOut)
def get_call(ticket_id: int, conn: Conn, user: Readers):
    """One ticket in your scope, with its linked order's state."""
    return service.get(conn, user=user, ticket_id=ticket_id)


@router.post("/{ticket_id}/answer", response_model=TicketOut)
def answer(ticket_id: int, body: Answer, conn: Conn, now: Now, user: Operator):
    """Answer a call: the reply to a question, or what was done about an alarm."""
    return service.transition(
        conn, user=user, ticket_id=ticket_id, action="answer", now=now, values=body.model_dump()
    )


@router.post("/{ticket_id}/refer", response_model=TicketOut)
def refer(ticket_id: int, body: Referral, conn: Conn, now: Now, user: Operator):
    """Refer a consultation to a named department."""
    values = {"referred_to": body.referred_to, "answer": body.note}
    return service.transition(
        conn, user=user, ticket_id=ticket_id, action="refer", now=now, values=values
    )


@router.post("/{ticket_id}/close", response_model=TicketOut)
def close(ticket_id: int, conn: Conn, now: Now, user: Operator):
    """Close an answered or referred ticket."""
    return service.transition(conn, user=user, ticket_id=ticket_id, action="close", now=now)


@router.post("/{ticket_id}/order", response_model=TicketOut, status_code=201)
def open_order(
    ticket_id: int, body: TicketOrder, conn: Conn, now: Now, config: Config, user: Operator
):
    """Open a service order for the ticket's elder and link it to the ticket."""
    return service.open_order(
        conn, user=user, api=config.api, now=now, ticket_id=ticket_id, **body.model_dump()
    )
