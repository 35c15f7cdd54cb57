"""Candidate pairs from several tight blocking passes, generated in SQL on integer ids.

A pass pairs the profiles that share a key. An asymmetric pass pairs a profile's key with the
other key of another profile (a swapped birth date with a birth date, a birth month known
only to the month with the birth dates in that month). A key shared by more profiles than the
pass's cap is skipped: pairs grow with the square of a block, so a key common in a city of
millions (王秀英 born in one year in one district) would make more pairs than every other pass
together; the profiles in it still meet through the other passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from warehouse.settings import Linkage


@dataclass(frozen=True)
class Pass:
    bit: int
    key: str  # SQL on linkage.profiles p
    other_key: str | None = None  # the key it meets on the other profile, if not the same
    only: str = "true"  # which profiles carry `key` (the other side: every profile)
    capped: bool = True  # skip keys shared by more than max_block_size profiles
    cap: int | None = None  # a cap of its own, below max_block_size


PASSES = {
    "id_number": Pass(1, "case when not p.masked then p.id_number end", capped=False),
    "document": Pass(2, "p.doc", capped=False),
    "pinyin_birth_date": Pass(4, "p.pinyin || p.born"),
    "pinyin_birth_month": Pass(
        512,
        "p.pinyin || to_char(p.born, 'YYYYMM')",
        "p.pinyin || to_char(p.born, 'YYYYMM')",
        only="p.precision = 'month'",
    ),
    "pinyin_swapped_birth": Pass(128, "p.pinyin || p.born_alt", "p.pinyin || p.born"),
    "surname_swapped_birth_district": Pass(
        1024,
        "left(p.name, 1) || p.born_alt || p.district_code",
        "left(p.name, 1) || p.born || p.district_code",
    ),
    "name_birth_year_district": Pass(
        8, "p.name || to_char(p.born, 'YYYY') || p.district_code", cap=5
    ),
    "surname_birth_date_district": Pass(256, "left(p.name, 1) || p.born || p.district_code"),
    "phone": Pass(16, "p.phone"),
    "pinyin_id_tail": Pass(32, "p.pinyin || p.id_tail"),
}
NEIGHBOURHOOD_BIT = 64
PASS_BITS = {name: spec.bit for name, spec in PASSES.items()} | {
    "sorted_neighbourhood": NEIGHBOURHOOD_BIT
}


def _keyed(
    conn: psycopg.Connection, table: str, key: str, only: str, cap: int | None, new: bool
) -> None:
    """linkage.<table> (key, profile_id) of the blocks within the cap (new: only the blocks
    that hold a key of linkage.work_new_keys)."""
    size = f"and size <= {cap}" if cap else ""
    wanted = f"and {key} in (select key from linkage.work_new_keys)" if new else ""
    conn.execute(f"drop table if exists linkage.{table}")
    conn.execute(
        f"""create unlogged table linkage.{table} as
        select key, profile_id from (
            select {key} as key, p.profile_id, count(*) over (partition by {key}) as size
            from linkage.profiles p where p.role = 'elder' and ({only}) {wanted}) k
        where key is not null {size}"""
    )


def _new_keys(conn: psycopg.Connection, spec: Pass, newer_than: int) -> None:
    """linkage.work_new_keys: the keys (of either side) that profiles above newer_than carry.
    A new month forms only the blocks these keys name: the others cannot pair a new profile,
    and grouping every profile's key is most of a pass's time."""
    sides = (
        [(spec.key, spec.only), (spec.other_key, "true")]
        if spec.other_key
        else [(spec.key, spec.only)]
    )
    union = " union ".join(
        f"select {key} from linkage.profiles p"
        f" where p.profile_id > {newer_than} and p.role = 'elder' and ({only})"
        for key, only in sides
    )
    conn.execute("drop table if exists linkage.work_new_keys")
    conn.execute(
        f"""create unlogged table linkage.work_new_keys as
        select key from ({union}) k (key) where key is not null"""
    )


def _pairs_of_pass(conn: psycopg.Connection, spec: Pass, cap: int | None, newer_than: int) -> None:
    new = newer_than > 0
    if new:
        _new_keys(conn, spec, newer_than)
    _keyed(conn, "work_keyed", spec.key, spec.only, cap, new)
    if spec.other_key is None:
        conn.execute(
            f"""insert into linkage.work_pairs
            select a.profile_id, b.profile_id, {spec.bit}
            from linkage.work_keyed a
            join linkage.work_keyed b on a.key = b.key and a.profile_id < b.profile_id
            where b.profile_id > {newer_than}"""
        )
        return
    _keyed(conn, "work_other", spec.other_key, "true", cap, new)
    conn.execute(
        f"""insert into linkage.work_pairs
        select distinct least(a.profile_id, b.profile_id), greatest(a.profile_id, b.profile_id),
               {spec.bit}
        from linkage.work_keyed a
        join linkage.work_other b on a.key = b.key and a.profile_id <> b.profile_id
        where greatest(a.profile_id, b.profile_id) > {newer_than}"""
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
    for spec in PASSES.values():
        cap = min(spec.cap or config.max_block_size, config.max_block_size) if spec.capped else None
        _pairs_of_pass(conn, spec, cap, newer_than)
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
    conn.execute(
        "drop table if exists linkage.work_pairs, linkage.work_keyed, linkage.work_other,"
        " linkage.work_new_keys"
    )
    return {name: found.get(bit, 0) for name, bit in PASS_BITS.items()}
