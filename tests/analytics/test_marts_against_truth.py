"""The analytics marts on generated feeds, checked against the generator's truth: monthly
elder counts per district, every planted subsidy anomaly and no other, and the subsidy
totals reconciling with the rosters to the fen."""

from __future__ import annotations

import re

import pandas as pd
from stdnum.cn import ric

from tests.analytics import truth_support
from warehouse.connection import connect


def bi_rows(settings, query: str) -> list[tuple]:
    with connect(settings, "bi") as conn:
        return conn.execute(query).fetchall()


def test_monthly_elder_counts_per_district_match_the_truth_within_a_thousandth(settings, built):
    truth = truth_support.counts_by_district(truth_support.observable_elder_months(built))
    ours = truth_support.mart_counts(settings)
    index = truth.index.union(ours.index)
    difference = ours.reindex(index, fill_value=0) - truth.reindex(index, fill_value=0)
    assert set(ours.index.get_level_values("month")) == set(truth.index.get_level_values("month"))
    assert difference.abs().sum() / truth.sum() <= 0.001, difference[difference != 0]


def test_every_planted_subsidy_anomaly_is_found_and_no_other(settings, built):
    planted = pd.read_csv(built / "anomalies.csv", dtype=str)
    expected = set(
        zip(planted["kind"], planted["source_file"], planted["source_row"].astype(int), strict=True)
    )
    found = set(bi_rows(settings, "select anomaly_kind, source_file, source_row"
                                  " from marts.rpt_subsidy_anomalies"))  # fmt: skip
    assert len(expected) >= 10  # the rates above plant enough to mean something
    assert {kind for kind, *_ in expected} == {"paid_after_death", "paid_in_two_districts"}
    assert found == expected


def test_subsidy_totals_reconcile_with_every_roster_to_the_fen(settings, built):
    rosters = bi_rows(settings, "select source_file, roster_total_yuan, difference_fen"
                                " from marts.rpt_subsidy_reconciliation")  # fmt: skip
    workbooks = {f"{p.parent.parent.name}/{p.parent.name}/{p.name}"
                 for p in (built.parent / "landing" / "civil_affairs").rglob("*.xlsx")}  # fmt: skip
    assert {file for file, *_ in rosters} == workbooks
    assert all(total is not None for _, total, _ in rosters)
    assert [file for file, _, difference in rosters if difference != 0] == []
    paid, totals = bi_rows(
        settings,
        "select (select sum(amount_fen) from marts.fct_subsidy_payments),"
        " (select sum(round((loaded_yuan) * 100)) from marts.rpt_subsidy_reconciliation)",
    )[0]
    assert paid == totals


ID_NUMBER = re.compile(r"\b\d{17}[\dXx]\b")
MOBILE = re.compile(r"\b1[3-9]\d{9}\b")


def test_no_id_number_name_or_phone_reaches_the_marts(settings, built):
    names = list(pd.read_csv(built / "persons.csv", dtype=str, keep_default_na=False)["name"])
    with connect(settings, "bi") as conn:
        columns = conn.execute(
            "select table_name, column_name from information_schema.columns"
            " where table_schema = 'marts' and data_type = 'text'"
        ).fetchall()
        assert len(columns) > 50
        for table, column in columns:
            values = [v for (v,) in conn.execute(
                f'select distinct "{column}" from marts."{table}" where "{column}" is not null'
            )]  # fmt: skip
            leaked = [v for v in values if MOBILE.search(v) or any(
                ric.is_valid(number) for number in ID_NUMBER.findall(v)
            )]  # fmt: skip
            assert leaked == [], f"ID numbers or phones in marts.{table}.{column}"
            assert set(values).isdisjoint(names), f"names in marts.{table}.{column}"
