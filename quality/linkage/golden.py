"""Golden records: one value per elder and attribute, chosen by the survivorship table below,
each with the source row that supplied it (`<attribute>_source_file`, `_source_row`). They
are written, with their eligibility (eligibility.py), into linkage.elders, the elder database.

A candidate with a lower rank wins; among equal ranks the most recently seen row wins. A new
month chooses again only for the elders it touched, and for an elder that only gained rows,
only among the new rows and the stored winners (see _scope).
"""

from __future__ import annotations

from datetime import date

import psycopg

from quality.linkage import eligibility
from quality.linkage.copying import publish
from quality.linkage.identity import Touched

PS, CA, INST, GOV = "public_security", "civil_affairs", "institutions", "gov_services"
TABLES = {
    PS: "raw.public_security_persons",
    CA: "raw.civil_affairs_payments",
    INST: "raw.institution_residents",
    GOV: "raw.gov_service_cases",
}
VALID = "r.is_id_number_valid"
# One line per candidate: attribute, SQL type, rank (lower wins), source, value, condition.
RULES = (
    # public security is the authority for identity, birth and death
    ("id_number", "text", 1, PS, "r.id_number_clean", VALID),
    ("id_number", "text", 2, CA, "r.id_number_clean", VALID),
    ("id_number", "text", 2, INST, "r.id_number_clean", VALID),
    ("id_number", "text", 2, GOV, "r.id_number_clean", VALID),
    ("document_type", "text", 1, PS, "'居民身份证'", None),
    ("document_type", "text", 2, GOV, "r.document_type_clean", None),
    ("document_number", "text", 1, GOV, "r.document_number_clean", "r.id_number_clean is null"),
    ("name", "text", 1, PS, "r.name_clean", None),
    ("name", "text", 2, CA, "r.name_clean", None),
    ("name", "text", 2, INST, "r.name_clean", None),
    ("name", "text", 3, GOV, "r.elder_name_clean", None),
    ("sex", "smallint", 1, PS, "r.sex", "r.sex in (1, 2)"),
    ("sex", "smallint", 2, CA, "r.sex_clean", "r.sex_clean in (1, 2)"),
    ("sex", "smallint", 2, INST, "r.sex", "r.sex in (1, 2)"),
    ("sex", "smallint", 3, GOV, "2 - substr(r.id_number_clean, 17, 1)::int % 2", VALID),
    ("birth_date", "date", 1, PS, "r.birth_date_clean", None),
    ("birth_date", "date", 2, CA, "r.birth_date_clean", "r.birth_date_precision = 'day'"),
    ("birth_date", "date", 2, INST, "r.birth_date_clean", None),
    ("birth_date", "date", 3, CA, "r.birth_date_clean", None),
    ("birth_date", "date", 4, GOV, "to_date(substr(r.id_number_clean, 7, 8), 'YYYYMMDD')", VALID),
    ("ethnicity_code", "text", 1, PS, "r.ethnicity_code", None),
    ("registered_community_code", "text", 1, PS, "r.community_code", None),
    ("registry_status", "text", 1, PS, "r.person_status", None),
    ("registry_status_on", "date", 1, PS, "r.status_changed_on", None),
    ("death_date", "date", 1, PS, "r.status_changed_on", "r.person_status = '死亡'"),
    ("death_date", "date", 2, INST, "r.discharged_on", "r.discharge_reason_clean = '死亡'"),
    # civil affairs for subsidies, hardship and the latest ability assessment
    ("hardship_type", "text", 1, CA, "r.hardship_type_clean", None),
    ("ability_level", "text", 1, CA, "r.ability_level_clean", None),
    ("living_situation", "text", 1, CA, "r.living_situation_clean", None),
    ("last_payment_month", "text", 1, CA, "r.payment_month_clean", None),
    # institutions for residence in an institution
    ("institution_code", "text", 1, INST, "r.institution_code", None),
    ("institution_name", "text", 1, INST, "r.institution_name", None),
    ("admitted_on", "date", 1, INST, "r.admitted_on", None),
    ("discharged_on", "date", 1, INST, "r.discharged_on", None),
    # the most recent source for phone
    ("phone", "text", 1, CA, "r.phone_clean", None),
    ("phone", "text", 1, GOV, "r.applicant_phone_clean", "not r.is_filed_by_agent"),
    # address: where the elder says they live (service cases), else the registered address
    # (the registry and the rosters, which each district keeps of its registered elders),
    # else the institution's district
    ("district_code", "text", 1, GOV, "r.district_code", None),
    ("district_code", "text", 2, CA, "r.district_code", None),
    ("district_code", "text", 2, PS, "r.district_code", None),
    ("district_code", "text", 3, INST, "r.institution_district_code", None),
    ("street_code", "text", 1, GOV, "r.street_code", None),
    ("street_code", "text", 2, CA, "r.street_code", None),
    ("street_code", "text", 2, PS, "left(r.community_code, 9) || '000'", None),
    ("community_code", "text", 1, GOV, "r.community_code", None),
    ("community_code", "text", 2, CA, "r.community_code", None),
    ("community_code", "text", 2, PS, "r.community_code", None),
    ("address", "text", 1, GOV, "nullif(btrim(r.current_address), '')", None),
    ("address", "text", 2, PS, "nullif(btrim(r.registered_address), '')", None),
)
ATTRIBUTES = tuple(dict.fromkeys(rule[0] for rule in RULES))
TIEBREAK = {PS: "r.is_delta::int"}  # a registry delta is newer than the full extract


KEY = "seen_on desc nulls last, tiebreak desc, load_batch desc, source_row desc"
RANK_SCALE = 1_000_000_000  # an elder has fewer rows than this
# A new month rewrites the records of about a quarter of the elders; with room on each page
# (a record is about 1 KB) most of those updates stay on their page and write nothing into
# the indexes (bench/README.md).
ELDERS_FILLFACTOR = 60


def _row_candidate(source: str, attribute: str) -> tuple[str, str]:
    """One row's best candidate for an attribute: (value, rank) as SQL. A row's lower-ranked
    rules can never win against its best one, which has the same recency and a lower rank."""
    rules = sorted((r for r in RULES if r[0] == attribute and r[3] == source), key=lambda r: r[2])
    sql_type = next(r[1] for r in RULES if r[0] == attribute)
    if not rules:
        return f"null::{sql_type}", "null::integer"
    whens = [
        ((f"({condition}) and " if condition else "") + f"({value}) is not null", value, rank)
        for _, _, rank, _, value, condition in rules
    ]
    value = " ".join(f"when {when} then ({value})::{sql_type}" for when, value, _ in whens)
    rank = " ".join(f"when {when} then {rank}" for when, _, rank in whens)
    return f"case {value} end", f"case {rank} end"


def _choice() -> str:
    """Every attribute's winner per elder with one sort: rows ordered by recency within each
    elder give an ordinal; the winner has the least rank * RANK_SCALE + ordinal."""
    sources = []
    for source in TABLES:
        columns = []
        for i, attribute in enumerate(ATTRIBUTES):
            value, rank = _row_candidate(source, attribute)
            columns += [f"{value} as v{i}", f"{rank} as r{i}"]
        sources.append(
            f"""select r.elder_id, r.source_file, r.source_row, r.seen_on, r.tiebreak,
                r.load_batch, {", ".join(columns)}
            from linkage.work_{source} r"""
        )
    keys = ", ".join(f"r{i}::bigint * {RANK_SCALE} + n as k{i}" for i in range(len(ATTRIBUTES)))
    bests = ", ".join(f"min(k{i}) over elder as b{i}" for i in range(len(ATTRIBUTES)))
    chosen = []
    for i, attribute in enumerate(ATTRIBUTES):
        chosen += [
            f"max(v{i}) filter (where k{i} = b{i}) as {attribute}",
            f"max(source_file) filter (where k{i} = b{i}) as {attribute}_source_file",
            f"max(source_row) filter (where k{i} = b{i}) as {attribute}_source_row",
        ]
    values = ", ".join(f"v{i}" for i in range(len(ATTRIBUTES)))
    return f"""select elder_id, {", ".join(chosen)}
        from (
            select *, {bests} from (
                select elder_id, source_file, source_row, {values}, {keys}
                from (
                    select *, row_number() over (partition by elder_id order by {KEY}) as n
                    from ({" union all ".join(sources)}) u
                ) ordered
            ) keyed
            window elder as (partition by elder_id)
        ) best
        group by elder_id"""


# The roles, sources and number of an elder's rows: counted over all rows, or, for an elder
# that only grew, the stored figures with the new rows' added.
_SOURCES_ALL = """select elder_id, array_agg(distinct role) as roles,
        array_agg(distinct source) as sources, count(*)::integer as source_rows
    from linkage.elder_xref x group by elder_id"""
_SOURCES_TOUCHED = """select x.elder_id, array_agg(distinct x.role) as roles,
        array_agg(distinct x.source) as sources, count(*)::integer as source_rows
    from linkage.elder_xref x join linkage.work_scope s using (elder_id)
    where s.whole group by x.elder_id
    union all
    select s.elder_id,
           array(select distinct v from unnest(g.roles || n.roles) v order by v),
           array(select distinct v from unnest(g.sources || n.sources) v order by v),
           coalesce(g.source_rows, 0) + coalesce(n.source_rows, 0)
    from linkage.work_scope s
    left join linkage.elders g using (elder_id)
    left join (
        select x.elder_id, array_agg(distinct x.role) as roles,
               array_agg(distinct x.source) as sources, count(*)::integer as source_rows
        from linkage.elder_xref x where x.record_id > {last} group by x.elder_id
    ) n using (elder_id)
    where not s.whole"""


def _scope(conn: psycopg.Connection, touched: Touched) -> None:
    """linkage.work_scope (the touched elders) and linkage.work_rows (the rows their golden
    records are chosen from: every row of a reshaped elder; of a grown one, its new rows and
    the rows that won an attribute before). Survivorship is a total order on rows, so the
    winner among all of a grown elder's rows is the better of its stored winner and the new
    rows' best."""
    conn.execute("drop table if exists linkage.work_scope, linkage.work_rows")
    conn.execute(
        "create unlogged table linkage.work_scope (elder_id bigint primary key,"
        " whole boolean not null)"
    )
    with conn.cursor().copy("copy linkage.work_scope from stdin") as copy:
        for elder_id in sorted(touched.reshaped):
            copy.write_row((elder_id, True))
        for elder_id in sorted(touched.grown):
            copy.write_row((elder_id, False))
    winners = ", ".join(f"(g.{a}_source_file, g.{a}_source_row)" for a in ATTRIBUTES)
    conn.execute(
        f"""create unlogged table linkage.work_rows as
        select x.record_id from linkage.elder_xref x join linkage.work_scope s using (elder_id)
        where s.whole or x.record_id > {int(touched.last_record)}
        union
        select x.record_id
        from linkage.elders g join linkage.work_scope s using (elder_id)
        cross join lateral (values {winners}) w (source_file, source_row)
        join linkage.elder_xref x
          on (x.source_file, x.source_row, x.role) = (w.source_file, w.source_row, 'elder')
         and x.elder_id = g.elder_id
        where not s.whole"""
    )
    conn.execute("alter table linkage.work_rows add primary key (record_id)")


def build(conn: psycopg.Connection, reference_date: date, touched: Touched | None = None) -> int:
    """Write every elder's golden record, judged at reference_date, into linkage.elders, or
    only those of the elders a new month `touched` (those that are gone are deleted); return
    the elders. A new month follows a full run of this code (state.plan), so the stored
    records hold every attribute."""
    _drop_legacy(conn)
    rows, sources, scope = "true", _SOURCES_ALL, None
    if touched is not None:
        _scope(conn, touched)
        rows = "x.record_id in (select record_id from linkage.work_rows)"
        sources = _SOURCES_TOUCHED.format(last=int(touched.last_record))
        scope = "linkage.work_scope"
    for source, table in TABLES.items():  # each source's rows with their elder, joined once
        conn.execute(f"drop table if exists linkage.work_{source}")
        conn.execute(
            f"""create unlogged table linkage.work_{source} as
            select x.elder_id, p.seen_on, {TIEBREAK.get(source, "0")} as tiebreak, r.*
            from linkage.elder_xref x
            join linkage.person_records p using (record_id)
            join {table} r on (r.load_batch, r.source_row) = (x.load_batch, x.source_row)
            where x.source = '{source}' and x.role = 'elder' and {rows}"""
        )
    attributes = ", ".join(f"c.{a}, c.{a}_source_file, c.{a}_source_row" for a in ATTRIBUTES)
    select = f"""select e.elder_id, {attributes}, e.roles, e.sources, e.source_rows
        from ({sources}) e left join ({_choice()}) c on c.elder_id = e.elder_id"""
    conn.execute("drop table if exists linkage.elders_next")
    conn.execute(
        f"create unlogged table linkage.elders_next as {eligibility.judged(select, reference_date)}"
    )
    conn.execute("alter table linkage.elders_next add primary key (elder_id)")
    publish(  # the stored records were read above, before they are replaced
        conn, "elders", key="elder_id", scope=scope, fillfactor=ELDERS_FILLFACTOR
    )
    if touched is not None:
        conn.execute("drop table linkage.work_scope, linkage.work_rows")
    conn.execute(f"drop table {', '.join(f'linkage.work_{source}' for source in TABLES)}")
    return conn.execute("select count(*) from linkage.elders").fetchone()[0]


def _drop_legacy(conn: psycopg.Connection) -> None:
    """What stores made by earlier versions kept: the golden records in a table of their own,
    linkage.golden, copied into linkage.elders; and on each record the reference date and the
    age. Dropping those columns drops dbt's views on them too; the next dbt build makes them
    again. Checked first: an ALTER would lock the API's readers out until the run commits."""
    conn.execute("drop table if exists linkage.golden")
    dated = conn.execute(
        """select count(*) from pg_attribute where attrelid = 'linkage.elders'::regclass
        and attname in ('reference_date', 'age') and not attisdropped"""
    ).fetchone()[0]
    if dated:
        conn.execute(
            "alter table linkage.elders drop column if exists reference_date cascade,"
            " drop column if exists age cascade"
        )
