from fastapi import APIRouter

from operational_api.deps import Conn, Now, caller
from operational_api.followups import service
from operational_api.followups.schemas import FollowUpIn, FollowUpOut
from operational_api.orders.schemas import OrderOut
from operational_api.roles import DISPATCHER, OPERATOR, SUPERVISOR

router = APIRouter(tags=["follow-up"])


@router.post("/orders/{order_id}/followups", response_model=FollowUpOut, status_code=201)
def follow_up(order_id: int, body: FollowUpIn, conn: Conn, now: Now, user: caller(OPERATOR)):
    """A.7.2 record a visit or call: resolved or not, satisfaction 1–5, comments."""
    return service.follow_up(conn, user=user, order_id=order_id, now=now, **body.model_dump())


@router.get("/orders/{order_id}/followups", response_model=list[FollowUpOut])
def list_followups(order_id: int, conn: Conn, user: caller(OPERATOR, DISPATCHER, SUPERVISOR)):
    """The follow-ups of one order."""
    return service.history(conn, user=user, order_id=order_id)


@router.get("/followups/unresolved", response_model=list[OrderOut])
def unresolved(conn: Conn, user: caller(OPERATOR, DISPATCHER, SUPERVISOR)):
    """A.7.3 orders whose issue is still unresolved, oldest first."""
    return service.unresolved(conn, user=user)
