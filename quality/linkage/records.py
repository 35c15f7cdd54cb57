"""One person-record view over the four raw tables, and its distinct profiles.

`linkage.person_records` holds one row per landed row that names a person (a case filed by
an agent gives two: the elder and the applicant). Rows that agree on every compared field
share a `profile_id`; linkage compares profiles, so a person seen in 25 monthly rosters costs
one record, not 25.
"""

from __future__ import annotations

import psycopg

# (source, table, select list); the order of columns is RECORD_COLUMNS.
RECORD_COLUMNS = (
    "source", "source_file", "source_row", "load_batch", "role", "id_number", "id_valid",
    "doc_type", "doc_number", "name", "sex", "birth_date", "birth_precision", "birth_swapped",
    "district_code", "street_code", "community_code", "phone", "seen_on",
)  # fmt: skip
_MONTH = "to_date(l.delivery_month, 'YYYY-MM')"
_SELECTS = (
    f"""select r.source, r.source_file, r.source_row, r.load_batch, 'elder', r.id_number_clean,
        r.is_id_number_valid, '居民身份证', null, r.name_clean, r.sex, r.birth_date_clean, 'day',
        false, r.district_code,
        case when length(r.community_code) = 12 then left(r.community_code, 9) || '000' end,
        r.community_code, null, {_MONTH}
    from raw.public_security_persons r join raw.load_log l using (load_batch)""",
    """select r.source, r.source_file, r.source_row, r.load_batch, 'elder', r.id_number_clean,
        r.is_id_number_valid, '居民身份证', null, r.name_clean, r.sex_clean, r.birth_date_clean,
        r.birth_date_precision, false, r.district_code, r.street_code, r.community_code,
        r.phone_clean, to_date(r.payment_month_clean, 'YYYY-MM')
    from raw.civil_affairs_payments r""",
    f"""select r.source, r.source_file, r.source_row, r.load_batch, 'elder', r.id_number_clean,
        r.is_id_number_valid, '居民身份证', null, r.name_clean, r.sex, r.birth_date_clean, 'day',
        'date_month_day_swapped' = any(r.issues), r.institution_district_code, null, null, null,
        {_MONTH}
    from raw.institution_residents r join raw.load_log l using (load_batch)""",
    """select r.source, r.source_file, r.source_row, r.load_batch, 'elder', r.id_number_clean,
        r.is_id_number_valid, r.document_type_clean,
        case when r.id_number_clean is null then r.document_number_clean end, r.elder_name_clean,
        null, null, null, false, r.district_code, r.street_code, r.community_code,
        case when not r.is_filed_by_agent then r.applicant_phone_clean end,
        r.applied_at_clean::date
    from raw.gov_service_cases r""",
    """select r.source, r.source_file, r.source_row, r.load_batch, 'applicant', null, false,
        null, null, r.applicant_name_clean, null, null, null, false, null, null, null,
        r.applicant_phone_clean, r.applied_at_clean::date
    from raw.gov_service_cases r where r.is_filed_by_agent""",
)
PROFILE_KEY = (
    "role", "id_number", "id_valid", "doc_type", "doc_number", "name", "sex", "birth_date",
    "birth_precision", "birth_swapped", "district_code", "street_code", "community_code", "phone",
)  # fmt: skip
TEXT_KEYS = {
    "role", "id_number", "doc_type", "doc_number", "name", "birth_precision", "district_code",
    "street_code", "community_code", "phone",
}  # fmt: skip
RAW_TABLES = {
    "public_security": "raw.public_security_persons",
    "civil_affairs": "raw.civil_affairs_payments",
    "institutions": "raw.institution_residents",
    "gov_services": "raw.gov_service_cases",
}


def build_records(conn: psycopg.Connection) -> int:
    """Rebuild linkage.person_records with integer record and profile ids; return the rows."""
    columns = ", ".join(RECORD_COLUMNS)
    binary = ' collate "C"'  # byte order: the profile ids need no language's collation
    key = ", ".join(f"{c}{binary if c in TEXT_KEYS else ''} nulls first" for c in PROFILE_KEY)
    union = "\nunion all\n".join(_SELECTS)
    conn.execute("drop table if exists linkage.person_records")
    conn.execute(
        f"""create table linkage.person_records as
        select row_number() over (order by source collate "C", source_file collate "C",
                                         source_row, role collate "C")::bigint
                   as record_id,
               dense_rank() over (order by {key})::integer as profile_id,
               {columns}
        from (select * from ({union}) u ({columns})) rows"""
    )
    conn.execute("alter table linkage.person_records add primary key (record_id)")
    conn.execute("create index on linkage.person_records (profile_id)")
    conn.execute("create index on linkage.person_records (source_file, source_row)")
    conn.execute("drop table if exists linkage.profile_keys")
    conn.execute(
        f"""create table linkage.profile_keys as
        select distinct on (profile_id) profile_id, {_KEY} as key
        from linkage.person_records order by profile_id"""
    )
    conn.execute("alter table linkage.profile_keys add primary key (profile_id)")
    return conn.execute("select count(*) from linkage.person_records").fetchone()[0]


_KEY = f"row({', '.join(PROFILE_KEY)})::text"


def append_records(conn: psycopg.Connection) -> int:
    """Add to linkage.person_records the rows of load batches it does not hold yet: record
    ids after the last, the profile id of an equal row already there, else new profile ids
    after the last. Return the rows added."""
    columns = ", ".join(RECORD_COLUMNS)
    union = "\nunion all\n".join(_SELECTS)
    conn.execute("drop table if exists linkage.work_new_records")
    conn.execute(
        f"""create unlogged table linkage.work_new_records as
        select *, {_KEY} as key from ({union}) u ({columns})
        where load_batch not in (select distinct load_batch from linkage.person_records)"""
    )
    conn.execute(
        """insert into linkage.profile_keys
        select (select coalesce(max(profile_id), 0) from linkage.profile_keys)
                   + row_number() over (order by key collate "C"), key
        from (select distinct n.key from linkage.work_new_records n
              where not exists (select 1 from linkage.profile_keys k where k.key = n.key)) new"""
    )
    added = conn.execute(
        f"""insert into linkage.person_records (record_id, profile_id, {columns})
        select (select coalesce(max(record_id), 0) from linkage.person_records)
                   + row_number() over (order by n.source collate "C",
                        n.source_file collate "C", n.source_row, n.role collate "C"),
               k.profile_id, {", ".join(f"n.{c}" for c in RECORD_COLUMNS)}
        from linkage.work_new_records n join linkage.profile_keys k using (key)"""
    ).rowcount
    conn.execute("drop table linkage.work_new_records")
    return added


def load_profiles(conn: psycopg.Connection, newer_than: int = 0) -> list[tuple]:
    """One row per profile_id above newer_than (ascending): the compared fields."""
    fields = ", ".join(PROFILE_KEY)
    return conn.execute(
        f"select distinct on (profile_id) profile_id, {fields} from linkage.person_records"
        " where profile_id > %s order by profile_id",
        (newer_than,),
    ).fetchall()
