"""Candidate pairs from several tight blocking passes, generated in SQL on integer ids."""

from __future__ import annotations

import psycopg

from warehouse.settings import Linkage

# pass name -> (bit, key expression on linkage.profiles p, capped by max_block_size)
PASSES = {
    "id_number": (1, "case when not p.masked then p.id_number end", False),
    "document": (2, "p.doc", False),
    "pinyin_birth_month": (4, "p.pinyin || to_char(p.born, 'YYYYMM')", True),
    "pinyin_swapped_birth": (128, None, True),
    "name_birth_year_district": (
        8,
        "p.name || to_char(p.born, 'YYYY') || p.district_code",
        True,
    ),
    "surname_birth_date_district": (
        256,
        "left(p.name, 1) || p.born || p.district_code",
        True,
    ),
    "phone": (16, "p.phone", True),
    "pinyin_id_tail": (32, "p.pinyin || p.id_tail", True),
}
NEIGHBOURHOOD_BIT = 64
PASS_BITS = {name: bit for name, (bit, _, _) in PASSES.items()} | {
    "sorted_neighbourhood": NEIGHBOURHOOD_BIT
}


def _pairs_on_key(
    conn: psycopg.Connection, expression: str, bit: int, cap: int | None, newer_than: int
) -> None:
    size = f"and size <= {cap}" if cap else ""
    conn.execute("drop table if exists linkage.work_keyed")
    conn.execute(
        f"""create unlogged table linkage.work_keyed as
        select key, profile_id from (
            select {expression} as key, p.profile_id,
                   count(*) over (partition by {expression}) as size
            from linkage.profiles p where p.role = 'elder') k
        where key is not null {size}"""
    )
    conn.execute("create index on linkage.work_keyed (key)")
    conn.execute(
        f"""insert into linkage.work_pairs
        select a.profile_id, b.profile_id, {bit}
        from linkage.work_keyed a
        join linkage.work_keyed b on a.key = b.key and a.profile_id < b.profile_id
        where b.profile_id > {newer_than}"""
    )


def _swapped_pairs(conn: psycopg.Connection, bit: int, newer_than: int) -> None:
    """A month/day swap: one profile's swapped birth date meets another's birth date, with the
    same pinyin (any birth precision) or the same surname (a typo in the given name)."""
    for condition in (
        "b.pinyin = a.pinyin and date_trunc('month', b.born) = date_trunc('month', a.born_alt)",
        "left(b.name, 1) = left(a.name, 1) and b.born = a.born_alt",
    ):
        conn.execute(
            f"""insert into linkage.work_pairs
            select least(a.profile_id, b.profile_id), greatest(a.profile_id, b.profile_id), {bit}
            from linkage.profiles a join linkage.profiles b
                on {condition} and a.profile_id <> b.profile_id
            where a.born_alt is not null and a.role = 'elder' and b.role = 'elder'
              and greatest(a.profile_id, b.profile_id) > {newer_than}"""
        )


def _neighbourhood(conn: psycopg.Connection, window: int, newer_than: int) -> None:
    """Sorted neighbourhood: each profile against the next `window` ones in pinyin order."""
    conn.execute(
        f"""insert into linkage.work_pairs
        select least(profile_id, other), greatest(profile_id, other), {NEIGHBOURHOOD_BIT}
        from (select profile_id, unnest(array[{
            ", ".join(f"lead(profile_id, {k}) over w" for k in range(1, window + 1))
        }]) as other
              from linkage.profiles where role = 'elder' and pinyin is not null
              window w as (order by pinyin, born nulls last, profile_id)) s
        where other is not null and greatest(profile_id, other) > {newer_than}"""
    )


def build_pairs(
    conn: psycopg.Connection, config: Linkage, newer_than: int = 0, table: str = "candidate_pairs"
) -> dict[str, int]:
    """linkage.<table> (left_id < right_id, passes bitmask); pairs found per pass. Only pairs
    with a profile above newer_than (a new month's), if given: blocks and neighbourhoods are
    still formed over every profile, so a new profile meets the old ones it would meet in a
    full run."""
    conn.execute("drop table if exists linkage.work_pairs")
    conn.execute("create unlogged table linkage.work_pairs (left_id int, right_id int, pass int)")
    for _name, (bit, expression, capped) in PASSES.items():
        cap = config.max_block_size if capped else None
        if expression is None:
            _swapped_pairs(conn, bit, newer_than)
        else:
            _pairs_on_key(conn, expression, bit, cap, newer_than)
    _neighbourhood(conn, config.neighbourhood_window, newer_than)
    found = dict(
        conn.execute("select pass, count(*) from linkage.work_pairs group by pass").fetchall()
    )
    conn.execute(f"drop table if exists linkage.{table}")
    conn.execute(
        f"""create table linkage.{table} as
        select left_id, right_id, bit_or(pass) as passes
        from linkage.work_pairs group by left_id, right_id order by left_id, right_id"""
    )
    conn.execute("drop table linkage.work_pairs, linkage.work_keyed")
    return {name: found.get(bit, 0) for name, bit in PASS_BITS.items()}
