from fastapi import APIRouter

from operational_api.deps import Conn, Now, ReadConn, caller
from operational_api.elders import service
from operational_api.elders.schemas import AgreementIn, AgreementOut, Designation, ElderOut
from operational_api.roles import DISPATCHER, ELDER, OPERATOR, ORG_ADMIN, STAFF, SUPERVISOR

router = APIRouter(tags=["elders"])
Readers = caller(OPERATOR, DISPATCHER, ORG_ADMIN, STAFF, SUPERVISOR, ELDER)


@router.get("/elders", response_model=list[ElderOut])
def search_elders(
    conn: ReadConn,
    user: Readers,
    id_number: str | None = None,
    name: str | None = None,
    street_code: str | None = None,
    limit: int = 20,
):
    """Find elders in your scope by exact ID number, name or street."""
    return service.search(
        conn,
        user=user,
        id_number=id_number,
        name=name,
        street_code=street_code,
        limit=min(limit, 200),
    )


@router.get("/elders/{elder_id}", response_model=ElderOut)
def get_elder(elder_id: int, conn: ReadConn, user: Readers):
    """One elder in your scope."""
    return service.get(conn, user=user, elder_id=elder_id)


@router.put("/elders/{elder_id}/designated-organisation", response_model=ElderOut)
def designate_organisation(
    elder_id: int, body: Designation, conn: Conn, now: Now, user: caller(OPERATOR, ELDER)
):
    """Set the organisation the elder prefers (intake chooses it first)."""
    return service.designate(
        conn, user=user, elder_id=elder_id, organisation_id=body.organisation_id, now=now
    )


@router.post("/agreements", response_model=AgreementOut, status_code=201)
def sign_agreement(body: AgreementIn, conn: Conn, now: Now, user: caller(OPERATOR, ORG_ADMIN)):
    """Record a service agreement between an elder and an organisation (A.1.1)."""
    return service.sign_agreement(conn, user=user, now=now, **body.model_dump())


@router.get("/elders/{elder_id}/agreements", response_model=list[AgreementOut])
def list_agreements(elder_id: int, conn: Conn, user: Readers):
    """The elder's service agreements."""
    return service.agreements_of(conn, user=user, elder_id=elder_id)
