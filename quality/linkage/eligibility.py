"""Who the elder database counts at a reference date, and why everyone else is left out.

Counted: living people aged 60 or over who are registered, live, or are paid or served in
Tianjin (every person in the four feeds is one of these unless the registry moved them out).
The first reason that applies is recorded: agent, dead, moved_out, under_60. Rows that name
nobody (a roster's 合计 row) are listed in linkage.exclusions as not_a_person.

Eligibility is as of the date in linkage.reference; the records keep no date that moves with
it (an age is the readers' to compute), so a new month rewrites only the records it changes:
those of the elders it touched, and those whose eligibility the new date changes (someone
turning 60, a death or a move dated between the two reference dates).
"""

from __future__ import annotations

from datetime import date

import psycopg

from quality.linkage.copying import publish
from quality.linkage.identity import Touched

REASONS = ("agent", "dead", "moved_out", "under_60", "not_a_person")
_REASON = """case
    when not ('elder' = any(g.roles)) then 'agent'
    when g.death_date <= %(ref)s then 'dead'
    when g.registry_status = '迁出' and coalesce(g.registry_status_on, %(ref)s) <= %(ref)s
        then 'moved_out'
    when g.birth_date > (%(ref)s::date - interval '60 years')::date then 'under_60'
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


def build(conn: psycopg.Connection, reference_date: date, touched: Touched | None = None) -> int:
    """Rebuild linkage.elders and linkage.exclusions as of reference_date; return the eligible
    elders. After a new month, only the records of the elders it `touched` and of those whose
    eligibility the date changes are written."""
    params = {"ref": reference_date}
    _drop_dated_columns(conn)
    records = f"""select g.*, r.reason is null as is_eligible, r.reason as exclusion_reason,
            {_DETAIL} as exclusion_detail
        from linkage.golden g
        cross join lateral (select {_REASON} as reason) r"""
    scope = None
    conn.execute("drop table if exists linkage.elders_next")
    if touched is None:
        conn.execute(f"create table linkage.elders_next as {records}", params)
    else:
        scope = _scope(conn, touched)
        conn.execute(
            f"""create table linkage.elders_next as
            select n.* from ({records} where {_may_change(conn, scope, params)}) n
            left join linkage.elders e using (elder_id)
            where n.elder_id in (select elder_id from {scope})
               or (n.is_eligible, n.exclusion_reason, n.exclusion_detail)
                  is distinct from (e.is_eligible, e.exclusion_reason, e.exclusion_detail)""",
            params,
        )
    conn.execute("alter table linkage.elders_next add primary key (elder_id)")
    publish(conn, "elders", key="elder_id", scope=scope)
    conn.execute("delete from linkage.reference")
    conn.execute("insert into linkage.reference (reference_date) values (%(ref)s)", params)
    conn.execute("drop table if exists linkage.exclusions_next")
    conn.execute(
        """create table linkage.exclusions_next as
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


def _may_change(conn: psycopg.Connection, scope: str, params: dict) -> str:
    """A condition on golden records g that holds for every record a new month may change:
    those in scope (touched, or with no record yet), and those with a 60th birthday, a death
    or a registry date between the stored reference date and the new one. Every other
    record's reason and detail are the same at both dates. With no stored date, every record."""
    stored = conn.execute("select reference_date from linkage.reference").fetchone()
    if stored is None:
        return "true"
    params["stored"] = stored[0]
    low, high = "least(%(stored)s, %(ref)s)", "greatest(%(stored)s, %(ref)s)"
    return f"""(g.birth_date between ({low} - interval '60 years')::date
                            and ({high} - interval '60 years')::date
        or g.death_date between {low} and {high}
        or g.registry_status_on between {low} and {high}
        or g.elder_id in (select elder_id from {scope}))"""


def _scope(conn: psycopg.Connection, touched: Touched) -> str:
    """A temporary table of the touched elders' ids (those gone included) and of any elder
    with no record yet (a new one is touched; this keeps a store that lacks one whole); its
    name."""
    conn.execute("drop table if exists pg_temp.touched_elders")
    conn.execute("create temp table touched_elders (elder_id bigint primary key) on commit drop")
    with conn.cursor().copy("copy pg_temp.touched_elders from stdin") as copy:
        for elder_id in sorted(touched.reshaped | touched.grown):
            copy.write_row((elder_id,))
    conn.execute(
        """insert into pg_temp.touched_elders
        select g.elder_id from linkage.golden g
        where not exists (select from linkage.elders e where e.elder_id = g.elder_id)
        on conflict do nothing"""
    )
    return "pg_temp.touched_elders"


def _drop_dated_columns(conn: psycopg.Connection) -> None:
    """Records of stores made before linkage.reference each kept the reference date and the
    age. Dropping them drops dbt's views on them too; the next dbt build makes them again.
    Checked first: an ALTER would lock the API's readers out until the run commits."""
    dated = conn.execute(
        """select count(*) from pg_attribute where attrelid = 'linkage.elders'::regclass
        and attname in ('reference_date', 'age') and not attisdropped"""
    ).fetchone()[0]
    if dated:
        conn.execute(
            "alter table linkage.elders drop column if exists reference_date cascade,"
            " drop column if exists age cascade"
        )
