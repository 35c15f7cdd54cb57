"""The operational API reads the elder database itself: ops.elders over the golden records,
read-only, the API role seeing them only through the view."""

from __future__ import annotations

import psycopg
import pytest

from warehouse.connection import connect

COLUMNS = "elder_id, id_number, name, birth_date, street_code, address"


def test_the_api_sees_every_golden_record_but_the_agents(built, settings):
    with connect(settings) as conn:
        golden = conn.execute(
            f"select {COLUMNS}, sex::text, is_eligible, district_code || '000000'"
            " from linkage.elders where 'elder' = any(roles) order by elder_id"
        ).fetchall()
    with connect(settings, "api") as conn:
        seen = conn.execute(
            f"select {COLUMNS}, sex_code, is_eligible, district_code from ops.elders"
            " order by elder_id"
        ).fetchall()
    assert len(golden) > 500 and seen == golden
    assert any(not row[7] for row in seen) and any(row[5] for row in seen)  # excluded; addresses
    assert all(len(row[8]) == 12 for row in seen if row[8])  # the API's 12-digit district codes


@pytest.mark.parametrize(
    "statement",
    [
        "select count(*) from linkage.elders",
        "update ops.elders set name = 'x' where elder_id = (select min(elder_id) from ops.elders)",
        "delete from ops.elders",
    ],
)
def test_the_api_cannot_go_around_the_view_or_write_the_elders(built, settings, statement):
    with connect(settings, "api") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)
