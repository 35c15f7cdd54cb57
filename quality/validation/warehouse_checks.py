"""The checks of the elder database (golden records) and of the marts, as data.

Each suite is a query with one row per thing checked, a locator (`source_file`,
`source_row`) a steward can open, and one SQL predicate per check that is true when the row
passes; quality/validation/run.py runs them with Great Expectations like the raw suites.
Thresholds and severities change in warehouse.yml under "<suite>.<check name>".
"""

from __future__ import annotations

from dataclasses import dataclass

from quality.validation.checks import Check

PERSON_TABLES = {
    "public_security": "raw.public_security_persons",
    "civil_affairs": "raw.civil_affairs_payments",
    "institutions": "raw.institution_residents",
    "gov_services": "raw.gov_service_cases",
}


@dataclass(frozen=True)
class TableSuite:
    """A suite over one query: `rows` has source_file, source_row and the predicates' columns."""

    name: str
    description: str
    rows: str
    checks: tuple[Check, ...]


def _valid_ids() -> str:
    parts = [
        f"select x.elder_id, r.id_number_clean from {table} r join linkage.elder_xref x"
        f" on x.load_batch = r.load_batch and x.source_row = r.source_row and x.role = 'elder'"
        f" where r.is_id_number_valid"
        for table in PERSON_TABLES.values()
    ]
    return " union all ".join(parts)


def _person_rows() -> str:
    return " union all ".join(
        f"select '{source}' as source, load_batch, source_file, source_row from {table}"
        for source, table in PERSON_TABLES.items()
    )


# One row per elder: how many distinct valid ID numbers its rows carry, whether a steward
# merged it, and the golden record's eligibility facts. The locator is its earliest row.
ELDER_ROWS = f"""
select first_row.source_file, first_row.source_row, e.is_eligible,
       date_part('year', age(ref.reference_date, e.birth_date))::integer as age, e.death_date,
       ref.reference_date, coalesce(ids.valid_ids, 0) as valid_ids,
       coalesce(ids.steward_merged, false) as steward_merged
from linkage.elders e
cross join linkage.reference ref
left join lateral (
    select x.source_file, x.source_row from linkage.elder_xref x
    where x.elder_id = e.elder_id order by x.source_file, x.source_row limit 1
) first_row on true
left join (
    select v.elder_id, count(distinct v.id_number_clean) as valid_ids,
           bool_or(exists (select 1 from linkage.elder_xref s where s.elder_id = v.elder_id
                           and s.linked_by = 'steward:same')) as steward_merged
    from ({_valid_ids()}) v group by v.elder_id
) ids on ids.elder_id = e.elder_id
"""

# One row per delivered person row: is it in the cross-reference?
XREF_ROWS = f"""
select p.source_file, p.source_row,
       exists (select 1 from linkage.elder_xref x where x.load_batch = p.load_batch
               and x.source_row = p.source_row) as is_linked
from ({_person_rows()}) p
"""

ELDER_DATABASE = TableSuite(
    name="elder_database",
    description="golden records (linkage.elders, linkage.elder_xref)",
    rows=ELDER_ROWS,
    checks=(
        Check("one_valid_id_number", "no elder carries two different valid ID numbers unless "
              "a steward merged them", "valid_ids <= 1 or steward_merged"),
        Check("eligible_are_60_and_alive", "every elder counted is 60 or over and alive at "
              "the reference date", "not is_eligible or ((age is null or age >= 60) and "
              "(death_date is null or death_date > reference_date))"),
    ),
)  # fmt: skip

SOURCE_ROWS = TableSuite(
    name="elder_source_rows",
    description="every delivered person row is in linkage.elder_xref",
    rows=XREF_ROWS,
    checks=(
        Check(
            "every_row_accounted_for",
            "every loaded person row belongs to an elder (elder_source_records)",
            "is_linked",
        ),
    ),
)

# The marts, after dbt: one suite per question, each over the rows it is about.
MART_SUITES = (
    TableSuite(
        name="mart_elder_months",
        description="the latest month of marts.fct_elder_months against the month before",
        rows="""
            select 'marts.fct_elder_months' as source_file, null::int as source_row,
                   abs(latest.n::numeric / nullif(previous.n, 0) - 1) as change
            from (select month, count(*) as n from marts.fct_elder_months group by month
                  order by month desc limit 1) latest
            left join (select month, count(*) as n from marts.fct_elder_months group by month)
              previous on previous.month = latest.month - interval '1 month'
        """,
        checks=(Check("count_near_previous_month", "the latest month's elders within 10 % of "
                      "the month before", "change is null or change <= 0.10"),),
    ),
    TableSuite(
        name="mart_parents",
        description="facts name districts and items their dimensions have",
        rows="""
            select 'marts.fct_elder_months' as source_file, null::int as source_row,
                   exists (select 1 from staging.districts d
                           where d.district_code = f.district_code) as has_parent
            from (select distinct district_code from marts.fct_elder_months) f
            union all
            select 'marts.fct_service_orders', order_id::int, item_id is null or exists (
                select 1 from marts.dim_service_items i where i.item_id = o.item_id)
            from marts.fct_service_orders o
        """,
        checks=(Check("parents_exist", "every district and service item a fact names exists "
                      "in its dimension", "has_parent"),),
    ),
    TableSuite(
        name="mart_subsidies",
        description="every roster of marts.rpt_subsidy_reconciliation",
        rows="""
            select source_file, null::int as source_row, difference_fen
            from marts.rpt_subsidy_reconciliation
        """,
        checks=(Check("rosters_reconcile", "every roster's 合计 equals its rows to the fen",
                      "difference_fen = 0"),),
    ),
    TableSuite(
        name="mart_two_districts",
        description="payments of one subsidy to one elder by two districts in one month",
        rows="""
            select p.source_file, p.source_row, exists (
                select 1 from marts.rpt_subsidy_anomalies a where a.elder_key = p.elder_key
                and a.payment_month = p.payment_month and a.subsidy_type = p.subsidy_type
            ) as flagged
            from marts.fct_subsidy_payments p
            join (select elder_id, payment_month, subsidy_type from marts.fct_subsidy_payments
                  where elder_id is not null group by 1, 2, 3
                  having count(distinct district_code) > 1) twice
              using (elder_id, payment_month, subsidy_type)
        """,
        checks=(Check("flagged", "an elder paid one subsidy by two districts in one month has "
                      "a row in rpt_subsidy_anomalies", "flagged"),),
    ),
    TableSuite(
        name="mart_yoy",
        description="year-on-year changes of the counts in marts.rpt_indicators_yoy_mom",
        rows="""
            select 'marts.rpt_indicators_yoy_mom' as source_file, null::int as source_row,
                   yoy_change
            from marts.rpt_indicators_yoy_mom where yoy_change is not null and not is_rate
        """,
        checks=(Check("plausible", "year-on-year changes between -50 % and +100 % (flagged, "
                      "not failed)", "yoy_change between -0.5 and 1.0", severity="warning",
                      threshold=0.95),),
    ),
)  # fmt: skip

GOLDEN_SUITES = (ELDER_DATABASE, SOURCE_ROWS)
TABLE_SUITES = {suite.name: suite for suite in (*GOLDEN_SUITES, *MART_SUITES)}
