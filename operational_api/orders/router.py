"""The service-order loop over HTTP; every route delegates to orders.service or orders.steps."""

from fastapi import APIRouter
from sqlalchemy import select

from operational_api.deps import Config, Conn, CurrentUser, Now, ReadConn, caller
from operational_api.orders import service, steps
from operational_api.orders.models import order_events, orders
from operational_api.orders.schemas import (
    Assign,
    Cancel,
    EventOut,
    OrderChange,
    OrderIn,
    OrderOut,
    RecordReview,
    ServiceRecord,
    Start,
)
from operational_api.roles import DISPATCHER, ELDER, OPERATOR, ORG_ADMIN, STAFF

router = APIRouter(prefix="/orders", tags=["orders"])
SEES_CODE = {OPERATOR, ELDER}


def out(order: dict, role: str) -> dict:
    """Hide the hand-off code from all but the elder and the call centre."""
    return order if role in SEES_CODE else {**order, "unique_code": None}


@router.post("", response_model=OrderOut, status_code=201)
def take_in(body: OrderIn, conn: Conn, now: Now, config: Config, user: caller(OPERATOR, ELDER)):
    """A.2 intake of a consultation or a service request; issues the unique code."""
    order = service.intake(conn, user=user, api=config.api, now=now, **body.model_dump())
    return out(order, user.role)


@router.get("", response_model=list[OrderOut])
def list_orders(
    conn: ReadConn,
    user: CurrentUser,
    state: str | None = None,
    elder_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
):
    """Orders in your scope ("my orders" for staff and elders), newest first."""
    rows = service.list_for(
        conn, user=user, state=state, elder_id=elder_id, limit=min(limit, 500), offset=offset
    )
    return [out(r, user.role) for r in rows]


@router.get("/grabbable", response_model=list[OrderOut])
def grabbable(conn: Conn, user: caller(STAFF), limit: int = 50):
    """Dispatched orders of your organisation waiting for someone to grab them."""
    scope = (orders.c.organisation_id == user.organisation_id) & (orders.c.state == "dispatched")
    rows = service.list_for(conn, user=user, limit=min(limit, 200), scope=scope)
    return [out(r, user.role) for r in rows]


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: int, conn: ReadConn, user: CurrentUser):
    """One order in your scope."""
    return out(service.get(conn, user=user, order_id=order_id), user.role)


@router.get("/{order_id}/events", response_model=list[EventOut])
def order_history(order_id: int, conn: Conn, user: CurrentUser):
    """Every transition of the order, oldest first."""
    service.get(conn, user=user, order_id=order_id)
    query = select(order_events).where(order_events.c.order_id == order_id)
    return [dict(r) for r in conn.execute(query.order_by(order_events.c.id)).mappings()]


@router.patch("/{order_id}", response_model=OrderOut)
def correct(order_id: int, body: OrderChange, conn: Conn, now: Now, user: caller(DISPATCHER)):
    """A.3.2 correct an accepted order before review passes."""
    return service.correct(
        conn, user=user, order_id=order_id, changes=body.model_dump(exclude_none=True), now=now
    )


@router.post("/{order_id}/review", response_model=OrderOut)
def review(order_id: int, conn: Conn, now: Now, config: Config, user: caller(DISPATCHER)):
    """A.3.1 review; 422 lists what to fix."""
    return steps.review(conn, user=user, order_id=order_id, api=config.api, now=now)


@router.post("/{order_id}/dispatch", response_model=OrderOut)
def dispatch(order_id: int, conn: Conn, now: Now, user: caller(DISPATCHER)):
    """A.3.2 dispatch to the chosen organisation."""
    return steps.dispatch(conn, user=user, order_id=order_id, now=now)


@router.post("/{order_id}/assign", response_model=OrderOut)
def assign(order_id: int, body: Assign, conn: Conn, now: Now, user: caller(ORG_ADMIN)):
    """A.4.1 the organisation assigns one of its staff."""
    order = steps.assign(conn, user=user, order_id=order_id, staff_id=body.staff_id, now=now)
    return out(order, user.role)


@router.post("/{order_id}/grab", response_model=OrderOut)
def grab(order_id: int, conn: Conn, now: Now, user: caller(STAFF)):
    """抢单: take a dispatched order of your organisation; the first one wins."""
    return out(steps.grab(conn, user=user, order_id=order_id, now=now), user.role)


@router.post("/{order_id}/start", response_model=OrderOut)
def start(order_id: int, body: Start, conn: Conn, now: Now, user: caller(STAFF)):
    """A.4.2 start on site with the elder's unique code."""
    return out(steps.start(conn, user=user, order_id=order_id, code=body.code, now=now), user.role)


@router.post("/{order_id}/record", response_model=OrderOut)
def file_record(order_id: int, body: ServiceRecord, conn: Conn, now: Now, user: caller(STAFF)):
    """A.4.3 file the service record (回单)."""
    order = steps.file_record(conn, user=user, order_id=order_id, now=now, **body.model_dump())
    return out(order, user.role)


@router.post("/{order_id}/record-review", response_model=OrderOut)
def review_record(
    order_id: int, body: RecordReview, conn: Conn, now: Now, user: caller(OPERATOR, DISPATCHER)
):
    """A.7.1 accept the record, or send the order back for a second dispatch."""
    order = steps.review_record(conn, user=user, order_id=order_id, now=now, **body.model_dump())
    return out(order, user.role)


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel(order_id: int, body: Cancel, conn: Conn, now: Now, user: caller(OPERATOR, DISPATCHER)):
    """Cancel an order that has not started."""
    order = service.transition(
        conn, user=user, order_id=order_id, action="cancel", now=now, note=body.reason
    )
    return out(order, user.role)
