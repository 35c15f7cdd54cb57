"""Who the elder database counts at a reference date, and why everyone else is left out.

Counted: living people aged 60 or over who are registered, live, or are paid or served in
Tianjin (every person in the four feeds is one of these unless the registry moved them out).
The first reason that applies is recorded: agent, dead, moved_out, under_60. Rows that name
nobody (a roster's 合计 row) are listed in linkage.exclusions as not_a_person.
"""

from __future__ import annotations

from datetime import date

import psycopg

from quality.linkage.copying import publish

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
    when 'under_60' then 'born ' || g.birth_date || ', under 60 on ' || %(ref)s::date
end"""


def build(conn: psycopg.Connection, reference_date: date) -> int:
    """Rebuild linkage.elders and linkage.exclusions; return the eligible elders."""
    params = {"ref": reference_date}
    conn.execute("drop table if exists linkage.elders_next")
    conn.execute(
        f"""create table linkage.elders_next as
        select g.*, r.reason is null as is_eligible, r.reason as exclusion_reason,
               {_DETAIL} as exclusion_detail,
               %(ref)s::date as reference_date,
               date_part('year', age(%(ref)s::date, g.birth_date))::integer as age
        from linkage.golden g
        cross join lateral (select {_REASON} as reason) r""",
        params,
    )
    conn.execute("alter table linkage.elders_next add primary key (elder_id)")
    publish(conn, "elders", key="elder_id")
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
