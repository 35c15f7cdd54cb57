"""Staff of the caller's organisation: create, read, update, delete (organisation admin)."""

from fastapi import APIRouter, Response

from operational_api.deps import Conn, Now, caller
from operational_api.roles import ORG_ADMIN
from operational_api.staff import service
from operational_api.staff.schemas import StaffChange, StaffIn, StaffOut

router = APIRouter(prefix="/staff", tags=["staff"])
OrgAdmin = caller(ORG_ADMIN)


@router.post("", response_model=StaffOut, status_code=201)
def create_staff(body: StaffIn, conn: Conn, now: Now, user: OrgAdmin):
    """Add a staff member to your organisation."""
    return service.create(conn, user=user, now=now, **body.model_dump())


@router.get("", response_model=list[StaffOut])
def list_staff(conn: Conn, user: OrgAdmin):
    """Your organisation's active staff."""
    return service.list_for(conn, user=user)


@router.get("/{staff_id}", response_model=StaffOut)
def get_staff(staff_id: int, conn: Conn, user: OrgAdmin):
    """One staff member of your organisation."""
    return service.get(conn, user=user, staff_id=staff_id)


@router.patch("/{staff_id}", response_model=StaffOut)
def update_staff(staff_id: int, body: StaffChange, conn: Conn, now: Now, user: OrgAdmin):
    """Change a staff member's details or skills."""
    changes = body.model_dump(exclude_none=True)
    return service.update(conn, user=user, staff_id=staff_id, changes=changes, now=now)


@router.delete("/{staff_id}", status_code=204)
def delete_staff(staff_id: int, conn: Conn, now: Now, user: OrgAdmin):
    """Remove a staff member (their account is disabled, their history kept)."""
    service.remove(conn, user=user, staff_id=staff_id, now=now)
    return Response(status_code=204)
