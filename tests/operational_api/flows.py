"""Drive orders along the loop over HTTP, so tests can start from any state."""

from __future__ import annotations

from tests.operational_api.conftest import STREET_A, World

DESCRIPTION = "老人行动不便，需要上门打扫卫生，清洁厨房和卫生间"


class Loop:
    """One organisation with a staff member, the call centre, a dispatcher, and elders."""

    def __init__(self, world: World):
        self.world, self.client = world, world.client
        self.org = world.organisation(streets=(STREET_A,), grab=True)
        self.staff, self.staff_headers = world.staff(self.org)
        _, self.operator = world.account("operator")
        _, self.dispatcher = world.account("dispatcher")
        self.org_admin_user, self.org_admin = world.account("org_admin", organisation_id=self.org)

    def elder(self) -> int:
        """A new elder of street A with an agreement with the loop's organisation."""
        elder_id = self.world.elder()
        body = {"elder_id": elder_id, "organisation_id": self.org}
        response = self.client.post("/agreements", json=body, headers=self.operator)
        assert response.status_code == 201, response.text
        return elder_id

    def call(self, method: str, path: str, headers: dict, body: dict | None = None, status=200):
        response = self.client.request(method, path, json=body, headers=headers)
        assert response.status_code == status, f"{method} {path}: {response.text}"
        return response.json()

    def intake(self, kind: str = "service", elder_id: int | None = None, **extra) -> dict:
        body = {
            "elder_id": elder_id or self.elder(),
            "kind": kind,
            "channel": "call_centre",
            "description": extra.pop("description", DESCRIPTION),
        }
        if kind == "service":  # ask for the loop's organisation: others serve street A too
            body["item_id"] = self.world.items["居家保洁"]
            body["organisation_id"] = self.org
        body.update(extra)
        return self.call("POST", "/orders", self.operator, body, 201)

    def step(self, order_id: int, state: str) -> None:
        """Move a service order from its current state one step toward `state`."""
        o = f"/orders/{order_id}"
        code = self.call("GET", o, self.operator)["unique_code"]
        steps = {
            "reviewed": ("POST", f"{o}/review", self.dispatcher, None),
            "dispatched": ("POST", f"{o}/dispatch", self.dispatcher, None),
            "assigned": ("POST", f"{o}/assign", self.org_admin, {"staff_id": self.staff["id"]}),
            "in_service": ("POST", f"{o}/start", self.staff_headers, {"code": code}),
            "returned": (
                "POST",
                f"{o}/record",
                self.staff_headers,
                {"record_text": "打扫了厨房和卫生间", "hours": 2, "result": "completed"},
            ),
            "record_accepted": (
                "POST",
                f"{o}/record-review",
                self.operator,
                {"acceptable": True, "note": "回单完整"},
            ),
        }
        method, path, headers, body = steps[state]
        self.call(method, path, headers, body)

    def service_order_in(self, state: str) -> int:
        """A service order brought to `state` through the API."""
        order_id = self.intake()["id"]
        path = ["reviewed", "dispatched", "assigned", "in_service", "returned", "record_accepted"]
        if state == "cancelled":
            self.call("POST", f"/orders/{order_id}/cancel", self.operator, {"reason": "老人取消"})
            return order_id
        for target in path:
            if state == "accepted":
                break
            self.step(order_id, target)
            if target == state:
                return order_id
        if state in ("closed", "unresolved"):
            body = {"method": "call", "resolved": state == "closed", "satisfaction": 4}
            self.call("POST", f"/orders/{order_id}/followups", self.operator, body, 201)
        return order_id

    def consultation_in(self, state: str) -> int:
        order_id = self.intake("consultation", description="咨询高龄津贴怎么申领")["id"]
        c = f"/consultations/{order_id}"
        if state in ("answered", "closed"):
            self.call("POST", f"{c}/answer", self.operator, {"answer": "请到街道办理"})
        if state == "referred":
            self.call("POST", f"{c}/refer", self.operator, {"referred_to": "区民政局"})
        if state == "closed":
            self.call("POST", f"{c}/close", self.operator)
        return order_id
