"""rpt_elder_overview, the overview dashboard's sums of dim_elders: per district it adds up to
dim_elders, and dbt's test sums_match fails a mart that does not."""

from __future__ import annotations

import pytest

from tests.analytics.conftest import dbt_test
from warehouse.connection import connect

SUMS_MATCH = "rpt_elder_overview,test_name:sums_match"
BY_DISTRICT = {
    "marts.rpt_elder_overview": "sum(elder_count), sum(known_age_count), sum(age_sum)",
    "marts.dim_elders": "count(*), count(age), coalesce(sum(age), 0)",
}


def test_the_overview_mart_adds_up_to_dim_elders_per_district(settings, built):
    with connect(settings, "bi") as conn:
        sums = {
            table: {code: tuple(values) for code, *values in conn.execute(
                f"select district_code, {columns} from {table} group by 1"
            )}
            for table, columns in BY_DISTRICT.items()
        }  # fmt: skip
    assert len(sums["marts.dim_elders"]) >= 2
    assert sums["marts.rpt_elder_overview"] == sums["marts.dim_elders"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param("age_sum = age_sum + 1", id="an age too many"),
        pytest.param("elder_count = elder_count - 1", id="an elder too few"),
        pytest.param(
            "district_code = (select min(district_code) from marts.rpt_elder_overview"
            " where district_code <> o.district_code)",
            id="elders counted in another district",
        ),
    ],
)
def test_a_mart_that_does_not_add_up_fails_dbts_test(settings, built, change):
    with connect(settings, "admin") as conn:
        conn.execute("create temporary table kept as select * from marts.rpt_elder_overview")
        conn.execute(
            f"update marts.rpt_elder_overview as o set {change} where ctid = (select ctid"
            " from marts.rpt_elder_overview where elder_count > 1 and district_code is not null"
            " order by elder_count desc limit 1)"
        )
        conn.commit()
        try:
            result = dbt_test(settings, "--select", SUMS_MATCH)
        finally:
            conn.execute("truncate marts.rpt_elder_overview")
            conn.execute("insert into marts.rpt_elder_overview select * from kept")
            conn.commit()
    assert result.returncode != 0 and "FAIL" in result.stdout, result.stdout[-2000:]
