"""dbt's tests of a model rebuilt by month read the months a build can have written
(macro postgres__get_where_subquery): a defect in the recent months fails them, one in an older
month is only found when every month is tested (`test_all_months`), and relationships tests
always read every row."""

from __future__ import annotations

import subprocess
from contextlib import contextmanager

from tests.analytics.conftest import dbt_test
from warehouse.connection import connect

NOT_NULL = "not_null_fct_elder_months_elder_key"
LATEST = "select max(month) from marts.fct_elder_months"
OLDEST = "select min(month) from marts.fct_elder_months"


@contextmanager
def one_row_broken(settings, month_sql: str, column: str, value: str):
    """Set `column` of one fct_elder_months row of the month `month_sql` picks to `value` for
    the duration of the block."""
    with connect(settings, "admin") as conn:
        month, elder_id, before = conn.execute(
            f"select month, elder_id, {column} from marts.fct_elder_months"
            f" where month = ({month_sql}) limit 1"
        ).fetchone()
        update = (
            f"update marts.fct_elder_months set {column} = %s where month = %s and elder_id = %s"
        )
        conn.execute(update.replace("%s", value, 1), (month, elder_id))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(update, (before, month, elder_id))
            conn.commit()


def assert_fails(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0 and "FAIL 1" in result.stdout, result.stdout[-2000:]


def test_a_defect_in_a_recent_month_fails_the_test(settings, built):
    with one_row_broken(settings, LATEST, "elder_key", "null"):
        assert_fails(dbt_test(settings, "--select", NOT_NULL))


def test_a_defect_in_an_older_month_is_found_when_every_month_is_tested(settings, built):
    with one_row_broken(settings, OLDEST, "elder_key", "null"):
        recent = dbt_test(settings, "--select", NOT_NULL)
        assert recent.returncode == 0, recent.stdout[-2000:]
        assert_fails(dbt_test(settings, "--select", NOT_NULL, "--vars", "{test_all_months: true}"))


def test_relationships_read_every_month(settings, built):
    with one_row_broken(settings, OLDEST, "district_code", "'999999'"):
        assert_fails(dbt_test(settings, "--select", "fct_elder_months,test_name:relationships"))
