"""Subsidy parameters over HTTP (5.3.2): read by anyone signed in, changed through approval."""

from datetime import date
from typing import Literal

from fastapi import APIRouter

from operational_api.deps import Conn, CurrentUser, Now, caller
from operational_api.roles import SUPERVISOR
from operational_api.subsidies import service
from operational_api.subsidies.schemas import (
    Ability,
    Due,
    Hardship,
    ParameterIn,
    ParameterOut,
    Proposal,
    Residence,
)

router = APIRouter(prefix="/subsidies", tags=["subsidy parameters"])


@router.get("/parameters", response_model=list[ParameterOut])
def list_parameters(
    conn: Conn,
    user: CurrentUser,
    subsidy_type: str | None = None,
    status: Literal["pending", "in_force", "superseded"] | None = None,
    on: date | None = None,
):
    """Parameters with their history; `on` gives those in force that day."""
    return service.listing(conn, subsidy_type=subsidy_type, status=status, on=on)


@router.get("/parameters/{parameter_id}", response_model=ParameterOut)
def get_parameter(parameter_id: int, conn: Conn, user: CurrentUser):
    """One parameter."""
    return service.get(conn, parameter_id=parameter_id)


@router.post("/parameters", response_model=Proposal, status_code=201)
def propose(body: ParameterIn, conn: Conn, now: Now, user: caller(SUPERVISOR)):
    """Propose a new standard (civil affairs); in force only once its approval chain is done."""
    return service.propose(conn, user=user, now=now, **body.model_dump())


@router.get("/due", response_model=list[Due])
def amount_due(
    conn: Conn,
    user: CurrentUser,
    month: date,
    age: int,
    hardship_type: Hardship | None = None,
    ability_level: Ability | None = None,
    residence: Residence | None = None,
):
    """What an identity was due in a month (any day of it) under the rules in force then."""
    return service.amount_due(
        conn,
        month=month,
        age=age,
        hardship_type=hardship_type,
        ability_level=ability_level,
        residence=residence,
    )
