from fastapi import APIRouter

from operational_api.deps import Conn, Now, caller
from operational_api.orders import service as orders
from operational_api.roles import DISPATCHER, OPERATOR, ORG_ADMIN, SUPERVISOR
from operational_api.supervision import service
from operational_api.supervision.schemas import CaseAction, CaseOut, ManualCase

router = APIRouter(prefix="/supervisions", tags=["supervision"])
Supervisors = caller(SUPERVISOR, DISPATCHER)


@router.post("", response_model=CaseOut, status_code=201)
def open_by_hand(body: ManualCase, conn: Conn, now: Now, user: Supervisors):
    """Open a supervision case on an order in your scope."""
    order = orders.get(conn, user=user, order_id=body.order_id)
    case_id = service.open_case(
        conn, order=order, trigger="manual", reason=body.reason, now=now, user=user
    )
    return service.get_case(conn, user=user, case_id=case_id)


@router.post("/sweep")
def sweep(conn: Conn, now: Now, user: Supervisors) -> dict:
    """Open cases for orders past their promised time (the app also runs this every minute)."""
    return {"opened": service.sweep_overdue(conn, now=now)}


@router.get("", response_model=list[CaseOut])
def list_cases(
    conn: Conn,
    user: caller(SUPERVISOR, DISPATCHER, OPERATOR, ORG_ADMIN),
    trigger: str | None = None,
):
    """Supervision cases in your scope."""
    return service.list_cases(conn, user=user, trigger=trigger)


@router.post("/{case_id}/actions", response_model=CaseOut)
def record_action(case_id: int, body: CaseAction, conn: Conn, now: Now, user: Supervisors):
    """Record the method (phone, online reminder...) and outcome; optionally close."""
    return service.record_action(conn, user=user, case_id=case_id, now=now, **body.model_dump())
