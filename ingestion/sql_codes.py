"""Code lists (ingestion/cleaning/codes.py) as SQL expressions for the feeds' CLEANING.

The lists stay in one place, Python, and the SQL is written from them: a code list is a
tuple of allowed values or a mapping of delivered values to canonical ones (codes.clean_code).
"""

from __future__ import annotations


def _literal(value) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def code_value(expr: str, allowed) -> str:
    """The canonical value of a delivered code, null when blank or not in the list."""
    mapping = allowed if isinstance(allowed, dict) else {value: value for value in allowed}
    cases = " ".join(f"when {_literal(k)} then {_literal(v)}" for k, v in mapping.items())
    return f"(case raw.trimmed({expr}) {cases} end)"


def code_issue(expr: str, allowed, issue: str) -> str:
    """The issue code when a delivered code is not blank and not in the list."""
    mapping = allowed if isinstance(allowed, dict) else {value: value for value in allowed}
    values = ", ".join(_literal(k) for k in mapping)
    return (
        f"(case when raw.trimmed({expr}) is not null and raw.trimmed({expr}) not in ({values})"
        f" then {_literal(issue)} end)"
    )
