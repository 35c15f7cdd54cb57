from fastapi import APIRouter

from operational_api.complaints import service
from operational_api.complaints.schemas import Assignment, ComplaintIn, ComplaintOut, Note
from operational_api.deps import Config, Conn, Now, caller
from operational_api.roles import DISPATCHER, OPERATOR, ORG_ADMIN, SUPERVISOR

router = APIRouter(prefix="/complaints", tags=["complaints"])
Handler = caller(SUPERVISOR)


@router.post("", response_model=ComplaintOut, status_code=201)
def receive(body: ComplaintIn, conn: Conn, now: Now, config: Config, user: caller(OPERATOR)):
    """A.6.1/A.6.5 take in a complaint with its promised reply time; answer at once if possible."""
    return service.receive(conn, user=user, api=config.api, now=now, **body.model_dump())


@router.get("", response_model=list[ComplaintOut])
def list_complaints(
    conn: Conn, user: caller(OPERATOR, DISPATCHER, SUPERVISOR, ORG_ADMIN), state: str | None = None
):
    """Complaints in your scope (handlers also see those assigned to them)."""
    return service.list_for(conn, user=user, state=state)


@router.post("/{complaint_id}/assign", response_model=ComplaintOut)
def assign(complaint_id: int, body: Assignment, conn: Conn, now: Now, user: caller(OPERATOR)):
    """Hand a complaint that cannot be answered at once to a handler."""
    return service.step(
        conn, user=user, complaint_id=complaint_id, step="assign", value=body.handler_id, now=now
    )


@router.post("/{complaint_id}/investigation", response_model=ComplaintOut)
def investigate(complaint_id: int, body: Note, conn: Conn, now: Now, user: Handler):
    """A.6.2 investigation notes (with the elder and the organisation)."""
    return service.step(
        conn, user=user, complaint_id=complaint_id, step="investigate", value=body.text, now=now
    )


@router.post("/{complaint_id}/resolution", response_model=ComplaintOut)
def propose(complaint_id: int, body: Note, conn: Conn, now: Now, user: Handler):
    """A.6.2 the proposed resolution."""
    return service.step(
        conn, user=user, complaint_id=complaint_id, step="propose", value=body.text, now=now
    )


@router.post("/{complaint_id}/reply", response_model=ComplaintOut)
def reply(complaint_id: int, body: Note, conn: Conn, now: Now, user: Handler):
    """A.6.3/A.6.5 the reply to the complainant or the body that passed it on."""
    return service.step(
        conn, user=user, complaint_id=complaint_id, step="reply", value=body.text, now=now
    )


@router.post("/{complaint_id}/close", response_model=ComplaintOut)
def close(complaint_id: int, conn: Conn, now: Now, user: caller(OPERATOR, SUPERVISOR)):
    """A.6.4 close, once the record is complete."""
    return service.close(conn, user=user, complaint_id=complaint_id, now=now)
