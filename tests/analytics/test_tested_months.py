"""dbt's tests of a model rebuilt by month read the months a build can have written
(macro postgres__get_where_subquery): a defect in the recent months fails them, one in an older
month is only found when every month is tested (`test_all_months`), and relationships tests
always read every row."""

from __future__ import annotations

import os
import subprocess

from orchestration.environment import dbt_environment
from warehouse.connection import connect

NOT_NULL = "not_null_fct_elder_months_elder_key"
LATEST = "select max(month) from marts.fct_elder_months"
OLDEST = "select min(month) from marts.fct_elder_months"


def dbt_test(settings, *arguments: str) -> subprocess.CompletedProcess:
    env = os.environ | dbt_environment(settings)
    return subprocess.run(["dbt", "test", *arguments], cwd=settings.dbt_path, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


def break_one_row(settings, month_sql: str, column: str, value: str) -> tuple:
    """Set `column` of one fct_elder_months row of the month `month_sql` picks; the row's key
    and old value, to put it back."""
    with connect(settings, "admin") as conn:
        key = conn.execute(
            f"select month, elder_id, {column} from marts.fct_elder_months"
            f" where month = ({month_sql}) limit 1"
        ).fetchone()
        conn.execute(
            f"update marts.fct_elder_months set {column} = {value}"
            " where month = %s and elder_id = %s",
            key[:2],
        )
        conn.commit()
    return key


def mend(settings, column: str, key: tuple) -> None:
    with connect(settings, "admin") as conn:
        conn.execute(
            f"update marts.fct_elder_months set {column} = %s where month = %s and elder_id = %s",
            (key[2], *key[:2]),
        )
        conn.commit()


def test_a_defect_in_a_recent_month_fails_the_test(settings, built):
    key = break_one_row(settings, LATEST, "elder_key", "null")
    try:
        result = dbt_test(settings, "--select", NOT_NULL)
        assert result.returncode != 0 and "FAIL 1" in result.stdout, result.stdout[-2000:]
    finally:
        mend(settings, "elder_key", key)


def test_a_defect_in_an_older_month_is_found_when_every_month_is_tested(settings, built):
    key = break_one_row(settings, OLDEST, "elder_key", "null")
    try:
        recent = dbt_test(settings, "--select", NOT_NULL)
        assert recent.returncode == 0, recent.stdout[-2000:]
        every = dbt_test(settings, "--select", NOT_NULL, "--vars", "{test_all_months: true}")
        assert every.returncode != 0 and "FAIL 1" in every.stdout, every.stdout[-2000:]
    finally:
        mend(settings, "elder_key", key)


def test_relationships_read_every_month(settings, built):
    key = break_one_row(settings, OLDEST, "district_code", "'999999'")
    try:
        result = dbt_test(settings, "--select", "fct_elder_months,test_name:relationships")
        assert result.returncode != 0 and "FAIL 1" in result.stdout, result.stdout[-2000:]
    finally:
        mend(settings, "district_code", key)
