"""A month built incrementally equals the same month built from scratch: the conftest builds the
last month with `dbt build` on top of a full build of the months before, keeps the incremental
models aside, then rebuilds them with --full-refresh."""

from __future__ import annotations

import re
from datetime import date, timedelta

import psycopg
import pytest
import yaml

from orchestration.assets.transform import (
    dbt_project,
    outdated_incremental_models,
    rebuild_outdated_incremental_models,
)
from orchestration.environment import dbt_environment
from orchestration.resources import dbt_resource
from tests.analytics.conftest import INCREMENTAL_MODELS, dbt, model_name
from warehouse.connection import connect
from warehouse.settings import DEFAULT_CONFIG

MODELS = DEFAULT_CONFIG.parent / "dbt_project" / "models"


def test_every_incremental_model_is_compared():
    incremental = {
        path.stem
        for path in MODELS.rglob("*.sql")
        if re.search(r"materialized\s*=\s*'incremental'", path.read_text(encoding="utf-8"))
    }
    assert incremental == {model_name(table) for table in INCREMENTAL_MODELS}


@pytest.mark.parametrize("table", INCREMENTAL_MODELS)
def test_an_incremental_month_equals_a_full_refresh(settings, built, table):
    kept = f"incremental_check.{model_name(table)}"
    with connect(settings, "admin") as conn:
        total = conn.execute(f"select count(*) from {table}").fetchone()[0]
        only_incremental, only_full = (
            conn.execute(
                f"select count(*) from (select * from {a} except all select * from {b}) as d"
            ).fetchone()[0]
            for a, b in ((kept, table), (table, kept))
        )
    assert (only_incremental, only_full) == (0, 0), f"{table}: {total} rows after a full refresh"


EVIDENCE = ("int_elder_address_evidence", "int_elder_care_evidence")
RENUMBERED = 100_000_000


def _evidence(settings) -> dict[str, tuple[set, int]]:
    """Per evidence model: its rows without linked_at (record_id last), and how many disagree
    with the xref on the elder or linked_at."""
    found = {}
    with connect(settings, "admin") as conn:
        for model in EVIDENCE:
            cursor = conn.execute(f"select * from intermediate.{model}")
            stamp = [column.name for column in cursor.description].index("linked_at")
            rows = {row[:stamp] + row[stamp + 1 :] for row in cursor.fetchall()}
            disagreeing = conn.execute(
                f"""select count(*) from intermediate.{model} e
                left join linkage.elder_xref x on x.record_id = e.record_id and x.role = 'elder'
                where x.elder_id is distinct from e.elder_id
                   or x.linked_at is distinct from e.linked_at"""
            ).fetchone()[0]
            found[model] = (rows, disagreeing)
    return found


def _relink(settings, statement: str) -> dict[str, tuple[set, int]]:
    """Change the xref as a linkage run would, build the evidence models incrementally."""
    with connect(settings, "admin") as conn:
        conn.execute(statement)
        conn.execute("analyze linkage.elder_xref")
        conn.commit()
    dbt(settings, "run", "--select", *EVIDENCE)
    return _evidence(settings)


def test_the_evidence_follows_rows_the_linkage_moves_or_renumbers(settings, built):
    """A new month's run moves a few rows to another elder (stamping them); a full relink
    stamps and numbers every row anew. The incremental evidence models follow both, and are
    as they were once the rows are back."""
    before = _evidence(settings)
    assert all(disagreeing == 0 for _, disagreeing in before.values())
    with connect(settings) as conn:
        elders = dict(conn.execute(
            """select record_id, elder_id from intermediate.int_elder_care_evidence
            join intermediate.int_elder_address_evidence using (record_id, elder_id)
            order by record_id limit 3"""
        ).fetchall())  # fmt: skip
        other = conn.execute("select max(elder_id) from linkage.elder_xref").fetchone()[0]
    moved = ", ".join(map(str, elders))
    after = _relink(settings, f"""update linkage.elder_xref set elder_id = {other},
        linked_at = now() where record_id in ({moved})""")  # fmt: skip
    for model, (rows, disagreeing) in after.items():
        assert disagreeing == 0 and len(rows) == len(before[model][0])
        assert {row[0] for row in rows if row[-1] in elders} == {other}
    after = _relink(settings, f"""update linkage.elder_xref
        set record_id = record_id + {RENUMBERED}, linked_at = now()""")  # fmt: skip
    for model, (rows, disagreeing) in after.items():
        assert disagreeing == 0 and len(rows) == len(before[model][0])
        assert min(row[-1] for row in rows) > RENUMBERED
    back = " ".join(f"when {record + RENUMBERED} then {elder}" for record, elder in elders.items())
    after = _relink(settings, f"""update linkage.elder_xref
        set record_id = record_id - {RENUMBERED}, linked_at = now(),
            elder_id = case record_id {back} else elder_id end""")  # fmt: skip
    assert after == before


def test_an_incremental_mart_lacking_a_documented_column_is_rebuilt_whole(
    built, settings, monkeypatch
):
    """After an upgrade adds a column to an incremental mart, the dbt asset rebuilds it whole
    first (a plain build would stop it as out of sync); every documented column is built."""
    project = dbt_project(settings)
    with connect(settings) as conn:
        assert outdated_incremental_models(conn, project.manifest_path) == []
        before = conn.execute("select count(*) from marts.rpt_elder_statistics").fetchone()[0]
        for table in ("rpt_elder_statistics", "rpt_subsidy_summary"):
            conn.execute(f"alter table marts.{table} drop column street_name")
        # the evidence as the code before linked_at left it: the view it reads lacks it too
        conn.execute("alter table intermediate.int_elder_address_evidence drop column linked_at")
        xref = "staging.stg_linkage__elder_xref"
        definition = conn.execute(f"select pg_get_viewdef('{xref}'::regclass)").fetchone()[0]
        names = [c.name for c in conn.execute(f"select * from {xref} limit 0").description]
        columns = ", ".join(name for name in names if name != "linked_at")
        conn.execute(f"drop view {xref}")
        conn.execute(f"create view {xref} as select {columns} from ({definition.rstrip(';')}) v")
        # and the elders a staging table, lacking the column fct_elder_months reads anew
        conn.execute("alter table marts.fct_elder_months drop column is_first_month")
        conn.execute("alter table staging.stg_linkage__elders drop column registry_status_date")
        # the entitlements as built before their grain became a unique index
        key = "elder_id, month, subsidy_type"
        entitlements = "marts.fct_subsidy_entitlements"
        conn.execute(f"drop index {unique_index(conn, entitlements, key)}")
        conn.execute(f"create index on {entitlements} ({key})")
        conn.commit()
    for name, value in dbt_environment(settings).items():
        monkeypatch.setenv(name, value)
    rebuilt = rebuild_outdated_incremental_models(settings, dbt_resource(settings), project)
    assert rebuilt == [
        "fct_elder_months",
        "fct_subsidy_entitlements",
        "int_elder_address_evidence",
        "rpt_elder_statistics",
        "rpt_subsidy_summary",
    ]
    with connect(settings) as conn:
        assert outdated_incremental_models(conn, project.manifest_path) == []
        after = conn.execute("select count(*) from marts.rpt_elder_statistics").fetchone()[0]
        assert unique_index(conn, entitlements, key)
    assert after == before


def unique_index(conn, table: str, columns: str) -> str | None:
    """The name of the unique index on exactly `columns` of a table, if it has one."""
    row = conn.execute(
        "select indexrelid::regclass::text from pg_index where indisunique"
        " and indrelid = %s::regclass and pg_get_indexdef(indexrelid) like %s",
        (table, f"%({columns})"),
    ).fetchone()
    return row and row[0]


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("staging.stg_linkage__elders", "elder_id"),
        ("intermediate.int_elder_address_spans", "elder_id, address_kind, valid_from"),
        ("intermediate.int_elder_placements", "elder_id, starts_on"),
        ("marts.dim_elders", "elder_id"),
        ("marts.dim_elders", "elder_key"),
        ("marts.elder_source_records", "record_id"),
        ("marts.fct_elder_months", "elder_id, month"),
        ("marts.fct_subsidy_entitlements", "elder_id, month, subsidy_type"),
    ],
)
def test_the_keys_of_the_large_models_are_kept_by_unique_indexes(settings, built, table, key):
    """Their keys are not tested by grouping millions of rows after the build: a unique index,
    built with the table (and kept by incremental runs), refuses a repeated row."""
    with connect(settings, "admin") as conn:
        assert unique_index(conn, table, key)
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute(f"insert into {table} (select * from {table} limit 1)")
        conn.rollback()


MONTH_MODELS = {table: month for table, month in INCREMENTAL_MODELS.items() if month}
RECOMPUTE_MONTHS = yaml.safe_load((MODELS.parent / "dbt_project.yml").read_text())["vars"][
    "recompute_months"
]


def _next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def _partitions(conn, table: str) -> dict[str, tuple[int, str]]:
    """A mart's partitions: name → (oid, bounds)."""
    rows = conn.execute(
        """select c.oid::regclass::text, c.oid::int, pg_get_expr(c.relpartbound, c.oid)
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = %s::regclass""",
        (table,),
    ).fetchall()
    return {name: (oid, bounds) for name, oid, bounds in rows}


def test_incremental_runs_replace_the_partitions_of_the_months_they_recompute(settings, built):
    """After the full refresh, a first incremental run turns each mart built by month into one
    partition per month (schema `partitions`, which the readers cannot see); a second replaces
    only the partitions of the months it recomputes. Both leave the rows the full refresh built."""
    models = [model_name(table) for table in MONTH_MODELS]
    layouts, recomputed = [], {}
    for _ in range(2):
        dbt(settings, "run", "--select", *models)
        with connect(settings, "admin") as conn:
            layout = {}
            for table, month in MONTH_MODELS.items():
                kept = f"incremental_check.{model_name(table)}"
                differing = conn.execute(
                    f"""select count(*) from ((select * from {kept} except all select * from
                    {table}) union all (select * from {table} except all select * from {kept})) d"""
                ).fetchone()[0]
                assert differing == 0, table
                months = [
                    m for (m,) in conn.execute(f"select distinct {month} from {table} order by 1")
                ]
                layout[table] = _partitions(conn, table)
                assert sorted(layout[table]) == [
                    f"partitions.{model_name(table)}__{m:%Y%m}" for m in months
                ]
                assert {f"FOR VALUES FROM ('{m}') TO ('{_next_month(m)}')" for m in months} == {
                    bounds for _, bounds in layout[table].values()
                }
                recomputed[table] = months[-1 - RECOMPUTE_MONTHS :]
        layouts.append(layout)
    first, second = layouts
    for table in MONTH_MODELS:
        assert first[table].keys() == second[table].keys()
        replaced = {
            name for name in first[table] if first[table][name][0] != second[table][name][0]
        }
        assert replaced == {
            f"partitions.{model_name(table)}__{m:%Y%m}" for m in recomputed[table]
        }, table
    latest = max(second["marts.fct_elder_months"])
    with connect(settings, "bi") as conn:
        assert conn.execute("select count(*) from marts.fct_elder_months").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"select count(*) from {latest}")
