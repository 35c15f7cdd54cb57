from fastapi import APIRouter

from operational_api.consultations import service
from operational_api.consultations.schemas import Answer, Referral
from operational_api.deps import Conn, Now, caller
from operational_api.orders.schemas import OrderOut
from operational_api.roles import OPERATOR

router = APIRouter(prefix="/consultations", tags=["consultations"])
Operator = caller(OPERATOR)


@router.post("/{order_id}/answer", response_model=OrderOut)
def answer(order_id: int, body: Answer, conn: Conn, now: Now, user: Operator):
    """Answer a consultation online or by phone."""
    return service.answer(conn, user=user, order_id=order_id, answer=body.answer, now=now)


@router.post("/{order_id}/refer", response_model=OrderOut)
def refer(order_id: int, body: Referral, conn: Conn, now: Now, user: Operator):
    """Refer a consultation the call centre cannot answer."""
    return service.refer(conn, user=user, order_id=order_id, now=now, **body.model_dump())


@router.post("/{order_id}/close", response_model=OrderOut)
def close(order_id: int, conn: Conn, now: Now, user: Operator):
    """Close an answered or referred consultation."""
    return service.close(conn, user=user, order_id=order_id, now=now)
