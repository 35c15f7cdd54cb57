"""Roles of the operational API and who may read what in clear text."""

from __future__ import annotations

from dataclasses import dataclass

OPERATOR = "operator"  # call centre: intake, consultations, complaints, follow-up
DISPATCHER = "dispatcher"  # reviews and dispatches orders, reviews service records
ORG_ADMIN = "org_admin"  # one organisation: its staff, qualifications, assignments
STAFF = "staff"  # one organisation's service staff: their own orders
SUPERVISOR = "supervisor"  # civil affairs, scoped to a district, street or community
ELDER = "elder"  # the elder's own account
SYSADMIN = "sysadmin"  # base data: regions, catalogue, organisations
SECADMIN = "secadmin"  # accounts and roles
AUDITOR = "auditor"  # reads and verifies the audit log
COMMUNITY_STAFF = "community_staff"  # 社区工作人员: submits approval matters of one community
STREET_STAFF = "street_staff"  # 街道工作人员: submits approval matters of one street

ROLES = (OPERATOR, DISPATCHER, ORG_ADMIN, STAFF, SUPERVISOR, ELDER, SYSADMIN, SECADMIN, AUDITOR,
         COMMUNITY_STAFF, STREET_STAFF)  # fmt: skip
CITY_WIDE = (OPERATOR, DISPATCHER)
SCOPE_LEVELS = ("city", "district", "street", "community")

# Resident ID numbers in clear only where identity is checked (call-centre intake, the elder);
# phones in clear for whoever has to call the elder.
CLEAR_ID = {OPERATOR, ELDER}
CLEAR_PHONE = {OPERATOR, ORG_ADMIN, STAFF, SUPERVISOR, ELDER}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, as carried in the token."""

    user_id: int
    role: str
    organisation_id: int | None = None
    elder_id: int | None = None
    scope_level: str | None = None
    scope_code: str | None = None

    def claims(self) -> dict:
        return {
            "sub": str(self.user_id),
            "role": self.role,
            "org": self.organisation_id,
            "elder": self.elder_id,
            "scope": [self.scope_level, self.scope_code],
        }

    @classmethod
    def from_claims(cls, claims: dict) -> Principal:
        level, code = claims.get("scope") or [None, None]
        return cls(
            user_id=int(claims["sub"]),
            role=claims["role"],
            organisation_id=claims.get("org"),
            elder_id=claims.get("elder"),
            scope_level=level,
            scope_code=code,
        )


def mask_id(value: str | None, role: str) -> str | None:
    if value is None or role in CLEAR_ID:
        return value
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_phone(value: str | None, role: str) -> str | None:
    if value is None or role in CLEAR_PHONE:
        return value
    return value[:3] + "****" + value[-4:] if len(value) >= 8 else "*" * len(value)
