from fastapi import APIRouter

from operational_api.deps import Conn, Now, caller
from operational_api.errors import forbidden
from operational_api.organisations import evaluation, service
from operational_api.organisations.schemas import (
    Decision,
    OrganisationChange,
    OrganisationIn,
    OrganisationOut,
    QualificationIn,
    QualificationOut,
)
from operational_api.roles import DISPATCHER, OPERATOR, ORG_ADMIN, SUPERVISOR, SYSADMIN

router = APIRouter(tags=["organisations"])
Readers = caller(OPERATOR, DISPATCHER, ORG_ADMIN, SUPERVISOR, SYSADMIN)


@router.post("/organisations", response_model=OrganisationOut, status_code=201)
def create_organisation(body: OrganisationIn, conn: Conn, now: Now, user: caller(SYSADMIN)):
    """Register a service organisation and the streets it serves."""
    values = body.model_dump(exclude={"streets"})
    return service.create(conn, user=user, values=values, streets=body.streets, now=now)


@router.get("/organisations", response_model=list[OrganisationOut])
def list_organisations(conn: Conn, user: Readers):
    """Organisations (an organisation admin sees only their own)."""
    return service.list_for(conn, user=user)


@router.get("/organisations/{organisation_id}", response_model=OrganisationOut)
def get_organisation(organisation_id: int, conn: Conn, user: Readers):
    """One organisation's profile, status and service area."""
    return service.get(conn, user=user, organisation_id=organisation_id)


@router.patch("/organisations/{organisation_id}", response_model=OrganisationOut)
def change_organisation(
    organisation_id: int,
    body: OrganisationChange,
    conn: Conn,
    now: Now,
    user: caller(ORG_ADMIN, SYSADMIN),
):
    """Go online/offline, switch grab-order, edit the profile; streets by administrators."""
    changes = body.model_dump(exclude_none=True)
    if user.role == ORG_ADMIN and "streets" in changes:
        raise forbidden("the service area is set by the system administrator")
    return service.change(
        conn, user=user, organisation_id=organisation_id, changes=changes, now=now
    )


@router.post(
    "/organisations/{organisation_id}/qualifications",
    response_model=QualificationOut,
    status_code=201,
)
def apply_for_qualification(
    organisation_id: int, body: QualificationIn, conn: Conn, now: Now, user: caller(ORG_ADMIN)
):
    """Apply to provide a service item (needs civil-affairs approval)."""
    service.get(conn, user=user, organisation_id=organisation_id)
    return service.apply(
        conn, user=user, organisation_id=organisation_id, item_id=body.item_id, now=now
    )


@router.get(
    "/organisations/{organisation_id}/qualifications", response_model=list[QualificationOut]
)
def list_qualifications(organisation_id: int, conn: Conn, user: Readers):
    """An organisation's applications and approvals."""
    service.get(conn, user=user, organisation_id=organisation_id)
    return service.list_qualifications(conn, organisation_id=organisation_id)


@router.post("/qualifications/{qualification_id}/decision", response_model=QualificationOut)
def decide_qualification(
    qualification_id: int, body: Decision, conn: Conn, now: Now, user: caller(SUPERVISOR)
):
    """Approve or reject an application (civil affairs, city or district level)."""
    return service.decide(
        conn,
        user=user,
        qualification_id=qualification_id,
        approve=body.approve,
        note=body.note,
        now=now,
    )


@router.get("/organisations/{organisation_id}/evaluation")
def evaluate_organisation(organisation_id: int, conn: Conn, user: Readers) -> dict:
    """Volumes, satisfaction, supervision cases and complaints, with a score."""
    service.get(conn, user=user, organisation_id=organisation_id)
    return evaluation.evaluate(conn, organisation_id=organisation_id)
