"""Who the elder database counts at a reference date, and why everyone else is left out.

Counted: living people aged 60 or over who are registered, live, or are paid or served in
Tianjin (every person in the four feeds is one of these unless the registry moved them out).
The first reason that applies is recorded: agent, dead, moved_out, under_60. Rows that name
nobody (a roster's 合计 row) are listed in linkage.exclusions as not_a_person.

Eligibility is as of the date in linkage.reference. The golden records are judged as they are
written (golden.py, through `judged`). No record keeps a date that moves with the reference
date (an age is the readers' to compute), so `build` rewrites only the records whose reason a
new date changes: someone turning 60, a death or a move dated between the two dates.
"""

from __future__ import annotations

from datetime import date

import psycopg

from quality.linkage.copying import publish

REASONS = ("agent", "dead", "moved_out", "under_60", "not_a_person")
_REASON = """case
    when not ('elder' = any(g.roles)) then 'agent'
    when g.death_date <= {ref} then 'dead'
    when g.registry_status = '迁出' and coalesce(g.registry_status_on, {ref}) <= {ref}
        then 'moved_out'
    when g.birth_date > ({ref}::date - interval '60 years')::date then 'under_60'
end"""
_DETAIL = """case r.reason
    when 'agent' then 'filed a service-platform case for an elder; not an elder record'
    when 'dead' then 'died ' || g.death_date || ' per ' || g.death_date_source_file
        || ' row ' || g.death_date_source_row
    when 'moved_out' then 'registration moved out ' || coalesce(g.registry_status_on::text, '')
        || ' per ' || g.registry_status_source_file || ' row ' || g.registry_status_source_row
    when 'under_60' then 'born ' || g.birth_date || ', 60 on '
        || (g.birth_date + interval '60 years')::date
end"""


COLUMNS = ("is_eligible", "exclusion_reason", "exclusion_detail")


def _judging(reference_date: date) -> tuple[str, str]:
    """SQL of the COLUMNS of golden records g at reference_date: (the select list, the join
    that gives it the reason r)."""
    reason = _REASON.format(ref=_literal(reference_date))
    columns = (
        f"r.reason is null as {COLUMNS[0]}, r.reason as {COLUMNS[1]}, {_DETAIL} as {COLUMNS[2]}"
    )
    return columns, f"cross join lateral (select {reason} as reason) r"


def judged(golden: str, reference_date: date) -> str:
    """A query of the golden records that the query `golden` selects, with their COLUMNS at
    reference_date."""
    columns, join = _judging(reference_date)
    return f"select g.*, {columns} from ({golden}) g {join}"


def build(conn: psycopg.Connection, reference_date: date) -> int:
    """Judge again at reference_date the records whose eligibility may differ from that at the
    stored date (every record when none is stored), keep the date, rebuild
    linkage.exclusions; return the eligible elders."""
    names, (columns, join) = ", ".join(COLUMNS), _judging(reference_date)
    conn.execute(
        f"""update linkage.elders e set ({names}) = ({", ".join(f"n.{c}" for c in COLUMNS)})
        from (select g.elder_id, {columns} from linkage.elders g {join}
              where {_may_change(conn, reference_date)}) n
        where n.elder_id = e.elder_id
          and ({", ".join(f"e.{c}" for c in COLUMNS)})
              is distinct from ({", ".join(f"n.{c}" for c in COLUMNS)})"""
    )
    conn.execute("delete from linkage.reference")
    conn.execute("insert into linkage.reference (reference_date) values (%s)", (reference_date,))
    # The marts' planner reads both next: a table never analyzed is guessed at thousands of
    # rows a page (2,550 for the one-row reference, multiplying every estimate over elders),
    # and autovacuum leaves a one-row table alone.
    conn.execute("analyze linkage.elders, linkage.reference")
    conn.execute("drop table if exists linkage.exclusions_next")
    conn.execute(
        """create unlogged table linkage.exclusions_next as
        select e.elder_id, x.source, x.source_file, x.source_row, e.exclusion_reason as reason,
               e.exclusion_detail as detail
        from linkage.elders e join linkage.elder_xref x using (elder_id)
        where not e.is_eligible
        union all
        select null, q.source, q.source_file, q.source_row, 'not_a_person', q.message
        from quarantine.rejected_rows q where q.reason = 'not_a_person'"""
    )
    publish(conn, "exclusions")
    return conn.execute("select count(*) from linkage.elders where is_eligible").fetchone()[0]


def _may_change(conn: psycopg.Connection, reference_date: date) -> str:
    """A condition on records g that holds for every record whose reason or detail may differ
    between the stored reference date and reference_date: a 60th birthday, a death or a
    registry date between the two. With no stored date, every record."""
    stored = conn.execute("select reference_date from linkage.reference").fetchone()
    if stored is None:
        return "true"
    low, high = (_literal(day) for day in sorted((stored[0], reference_date)))
    return f"""(g.birth_date between ({low} - interval '60 years')::date
                            and ({high} - interval '60 years')::date
        or g.death_date between {low} and {high}
        or g.registry_status_on between {low} and {high})"""


def _literal(day: date) -> str:
    """A date as an SQL literal (the survivorship SQL it joins holds a `%`, so no parameter)."""
    if not isinstance(day, date):
        raise TypeError(f"the reference date must be a date, not {day!r}")
    return f"date '{day.isoformat()}'"
