"""Approvals over HTTP (5.4.2): chains (system administrator), submissions (community and
street staff), decisions (supervisors at each level), status (anyone in scope)."""

from typing import Literal

from fastapi import APIRouter

from operational_api.approvals import service
from operational_api.approvals.schemas import (
    ApprovalOut,
    Chain,
    ChainOut,
    Decision,
    Matter,
    Return,
    SubmissionIn,
)
from operational_api.deps import Conn, CurrentUser, Now, caller
from operational_api.roles import COMMUNITY_STAFF, STREET_STAFF, SUPERVISOR, SYSADMIN

router = APIRouter(prefix="/approvals", tags=["approvals"])
Readers = caller(SUPERVISOR, COMMUNITY_STAFF, STREET_STAFF)
Approver = caller(SUPERVISOR)


@router.get("/chains/{matter_type}", response_model=ChainOut)
def get_chain(matter_type: Matter, conn: Conn, user: CurrentUser):
    """The levels a matter type passes through, in order."""
    return {"matter_type": matter_type, "levels": service.chain_of(conn, matter_type=matter_type)}


@router.put("/chains/{matter_type}", response_model=ChainOut)
def set_chain(matter_type: Matter, body: Chain, conn: Conn, now: Now, user: caller(SYSADMIN)):
    """Configure a matter type's chain (new submissions only)."""
    levels = service.set_chain(
        conn, user=user, matter_type=matter_type, levels=body.levels, now=now
    )
    return {"matter_type": matter_type, "levels": levels}


@router.post("", response_model=ApprovalOut, status_code=201)
def submit(body: SubmissionIn, conn: Conn, now: Now, user: caller(COMMUNITY_STAFF, STREET_STAFF)):
    """Submit a matter of your community or street for approval."""
    return service.submit(conn, user=user, now=now, **body.model_dump())


@router.get("", response_model=list[ApprovalOut])
def list_approvals(
    conn: Conn,
    user: Readers,
    state: Literal["pending", "approved", "returned"] | None = None,
    matter_type: Matter | None = None,
    awaiting_me: bool = False,
    limit: int = 100,
):
    """Approvals in your scope (and your own submissions), newest first."""
    return service.list_for(
        conn,
        user=user,
        state=state,
        matter_type=matter_type,
        awaiting_me=awaiting_me,
        limit=min(limit, 500),
    )


@router.get("/{approval_id}", response_model=ApprovalOut)
def get_approval(approval_id: int, conn: Conn, user: Readers):
    """One approval's status, chain and decision log."""
    return service.get(conn, user=user, approval_id=approval_id)


@router.post("/{approval_id}/approve", response_model=ApprovalOut)
def approve(approval_id: int, body: Decision, conn: Conn, now: Now, user: Approver):
    """Approve the step awaiting your level; the last step completes the matter."""
    return service.approve(conn, user=user, approval_id=approval_id, note=body.note, now=now)


@router.post("/{approval_id}/return", response_model=ApprovalOut)
def send_back(approval_id: int, body: Return, conn: Conn, now: Now, user: Approver):
    """Return the matter to its submitter with a reason."""
    return service.send_back(conn, user=user, approval_id=approval_id, reason=body.reason, now=now)


@router.post("/{approval_id}/resubmit", response_model=ApprovalOut)
def resubmit(approval_id: int, body: Decision, conn: Conn, now: Now, user: Readers):
    """File a returned matter again (its submitter)."""
    return service.resubmit(conn, user=user, approval_id=approval_id, note=body.note, now=now)
