"""A small client of Superset's REST API: a logged-in session with its CSRF token."""

from __future__ import annotations

import json
from typing import Any

import httpx


class SupersetApiError(RuntimeError):
    """Superset answered an API call with an error; the message has its answer."""


def rison(value: Any) -> str:
    """Encode a value in Rison, the query syntax of Superset's list endpoints."""
    if isinstance(value, bool):
        return "!t" if value else "!f"
    if value is None:
        return "!n"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        if value and all(ch.isalnum() or ch in "-_./~" for ch in value) and not value[0].isdigit():
            return value
        return "'" + value.replace("!", "!!").replace("'", "!'") + "'"
    if isinstance(value, list | tuple):
        return "!(" + ",".join(rison(item) for item in value) + ")"
    if isinstance(value, dict):
        return "(" + ",".join(f"{key}:{rison(item)}" for key, item in value.items()) + ")"
    raise TypeError(type(value))


class SupersetClient:
    """Logged in as one user (a session cookie plus the CSRF token for writes)."""

    def __init__(self, base_url: str, username: str, password: str, timeout: float = 120):
        self.http = httpx.Client(base_url=base_url, timeout=timeout)
        answer = self.http.post(
            "/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": False},
        )
        if answer.status_code != 200:
            raise SupersetApiError(f"cannot log in to Superset as {username}: {answer.text}")
        self.http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
        csrf = self.http.get("/api/v1/security/csrf_token/")  # viewers may not ask for one
        if csrf.status_code == 200:
            self.http.headers["X-CSRFToken"] = csrf.json()["result"]
        self.http.headers["Referer"] = base_url

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> SupersetClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs) -> dict:
        answer = self.http.request(method, path, **kwargs)
        if answer.status_code >= 400:
            raise SupersetApiError(f"{method} {path}: {answer.status_code} {answer.text[:2000]}")
        return answer.json() if answer.content else {}

    def get(self, path: str, **kwargs) -> dict:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: dict) -> dict:
        return self.request("POST", path, json=body)

    def put(self, path: str, body: dict) -> dict:
        return self.request("PUT", path, json=body)

    def delete(self, path: str) -> dict:
        return self.request("DELETE", path)

    def list(self, resource: str, columns: list[str] | None = None, **query) -> list[dict]:
        """Every row of a list endpoint (`chart`, `dataset`, `security/roles`, ...), paged."""
        rows, page = [], 0
        while True:
            params = {**query, "page": page, "page_size": 100}
            if columns:
                params["columns"] = columns
            batch = self.get(f"/api/v1/{resource}/", params={"q": rison(params)})
            rows += batch["result"]
            if len(batch["result"]) < 100:
                return rows
            page += 1

    def chart_data(self, chart_id: int, filters: list[dict] | None = None) -> dict:
        """The chart's data as its saved query context asks for it, with `filters` (such as a
        dashboard's default filter values) added to each of its queries."""
        chart = self.get(f"/api/v1/chart/{chart_id}")["result"]
        context = json.loads(chart["query_context"])
        for query in context["queries"]:
            query["filters"] = [*query.get("filters", []), *(filters or [])]
        return self.post("/api/v1/chart/data", context)
