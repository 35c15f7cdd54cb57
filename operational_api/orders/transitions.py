"""The order loop of Annex A as explicit transitions with their allowed predecessors.

Service orders: accepted (受理, unique code issued) → reviewed (审核) → dispatched (派单) →
assigned (派人/抢单) → in_service (凭唯一识别码上门) → returned (回单) → record_accepted
(回单审核) → closed (回访已解决) or unresolved (跟踪直至解决); an unacceptable record goes back
to dispatched (二次派单). Consultations: accepted → answered or referred → closed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    kind: str
    sources: frozenset[str]
    target: str
    stamp: str | None  # the lifecycle timestamp column it sets


def _t(kind: str, sources: str, target: str, stamp: str | None) -> Transition:
    return Transition(kind, frozenset(sources.split()), target, stamp)


TRANSITIONS: dict[str, Transition] = {
    "review": _t("service", "accepted", "reviewed", "reviewed_at"),
    "dispatch": _t("service", "reviewed", "dispatched", "dispatched_at"),
    "assign": _t("service", "dispatched", "assigned", "assigned_at"),
    "grab": _t("service", "dispatched", "assigned", "assigned_at"),
    "start": _t("service", "assigned", "in_service", "started_at"),
    "file_record": _t("service", "in_service", "returned", "returned_at"),
    "accept_record": _t("service", "returned", "record_accepted", "record_accepted_at"),
    "reject_record": _t("service", "returned", "dispatched", "dispatched_at"),
    "follow_up_resolved": _t("service", "record_accepted unresolved", "closed", "closed_at"),
    "follow_up_unresolved": _t("service", "record_accepted unresolved", "unresolved", None),
    "cancel": _t("service", "accepted reviewed dispatched assigned", "cancelled", "cancelled_at"),
    "answer": _t("consultation", "accepted", "answered", "answered_at"),
    "refer": _t("consultation", "accepted", "referred", "answered_at"),
    "close": _t("consultation", "answered referred", "closed", "closed_at"),
}

SERVICE_STATES = (
    "accepted",
    "reviewed",
    "dispatched",
    "assigned",
    "in_service",
    "returned",
    "record_accepted",
    "unresolved",
    "closed",
    "cancelled",
)
CONSULTATION_STATES = ["accepted", "answered", "referred", "closed"]
OPEN_BEFORE_SERVICE = ("accepted", "reviewed", "dispatched", "assigned")
ACTIVE_AT_ORGANISATION = ("dispatched", "assigned", "in_service")


def illegal_message(order_id: int, action: str, kind: str, state: str) -> str:
    """Why `action` cannot run, naming the order's current state and what it needs."""
    rule = TRANSITIONS[action]
    if rule.kind != kind:
        return (
            f"cannot {action} order {order_id}: it is a {kind} order in state '{state}', "
            f"and {action} applies to {rule.kind} orders only"
        )
    return (
        f"cannot {action} order {order_id}: its current state is '{state}'; "
        f"{action} needs one of: {', '.join(sorted(rule.sources))}"
    )
