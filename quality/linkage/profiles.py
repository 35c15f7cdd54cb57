"""Profiles as column arrays, with what the ID number says (birth date, sex) filled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import psycopg

from quality.linkage.copying import copy_frame
from quality.linkage.names import normalise, pinyin
from quality.linkage.records import PROFILE_KEY, load_profiles


def _id_birth(number: str | None) -> date | None:
    if not number or len(number) != 18 or not number[6:14].isdigit():
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def _id_sex(number: str | None) -> int:
    return (1 if int(number[16]) % 2 else 2) if number and number[16:17].isdigit() else 0


def _swap(born: date | None) -> date | None:
    if born is None or born.day > 12 or born.day == born.month:
        return None
    return born.replace(month=born.day, day=born.month)


@dataclass
class Profiles:
    """Compared fields of every profile, indexed by profile_id (row 0 is unused)."""

    frame: pd.DataFrame

    @classmethod
    def load(cls, conn: psycopg.Connection, newer_than: int = 0) -> Profiles:
        """From linkage.person_records: every profile, or those above newer_than (row 0 is
        then still the unused one, and the others keep their ids in `profile_id` only)."""
        rows = load_profiles(conn, newer_than)
        columns = ("profile_id", *PROFILE_KEY)
        frame = pd.DataFrame([(0,) + (None,) * len(PROFILE_KEY), *rows], columns=columns)
        frame = frame.astype(object).where(frame.notna(), None)
        return cls(_derive(frame))


def _derive(frame: pd.DataFrame) -> pd.DataFrame:
    ids = frame["id_number"].where(frame["id_number"].notna(), None)
    frame["masked"] = ids.map(lambda n: bool(n) and "*" in n)
    frame["name"] = frame["name"].map(normalise)
    frame["pinyin"] = frame["name"].map(pinyin)
    from_id = ids.map(_id_birth)
    born = frame["birth_date"].where(frame["birth_date"].notna(), from_id)
    frame["born"] = born.map(lambda d: d if isinstance(d, date) else None)
    frame["precision"] = frame["birth_precision"].where(frame["birth_date"].notna(), "day")
    frame.loc[frame["born"].isna(), "precision"] = None
    frame["born_alt"] = frame["born"].map(_swap)
    field_sex = frame["sex"].map(lambda v: v if v in (1, 2) else 0).astype(int)
    frame["sex_any"] = np.where(field_sex > 0, field_sex, ids.map(_id_sex).fillna(0))
    frame["doc"] = np.where(
        frame["doc_number"].notna(), frame["doc_type"].fillna("") + ":" + frame["doc_number"], None
    )
    frame["id_tail"] = ids.map(lambda n: n[-4:] if n and len(n) >= 15 else None)
    return frame


# The blocking keys, and what the comparisons need besides (Arrays.read reads them back).
COLUMNS = (
    "profile_id", "role", "id_number", "id_valid", "masked", "doc", "name", "pinyin", "born",
    "born_alt", "precision", "district_code", "phone", "id_tail", "birth_date", "sex_any",
    "street_code", "community_code",
)  # fmt: skip


# Reading every profile back (Arrays.read): per million profiles, one aggregate of their numbers
# in fixed-width binary and one of their texts, each ended by a NUL byte. Fetched row by row,
# 4.7 million profiles took 57 s at Tianjin scale (a Python object per field); as COPY, 16 s
# before parsing (a message per row).
READ_CHUNK = 1_000_000
FLAGS = {  # bit of each flag in `flags`
    "elder": "role = 'elder'",
    "applicant": "role = 'applicant'",
    "id_valid": "id_valid and not coalesce(masked, false)",
    "masked": "masked",
    "born_from_id": "birth_date is null and born is not null",
    "month_precision": "precision = 'month'",
}
TEXTS = {  # as the comparisons read them: '' when missing
    "id_number": "case when char_length(id_number) = 18 then id_number end",
    **{name: name for name in ("doc", "name", "pinyin", "district_code", "street_code",
                               "community_code", "phone")},
}  # fmt: skip
NUMBERS = np.dtype(
    [("profile_id", ">i4"), ("born", ">i4"), ("born_alt", ">i4"), ("sex", ">i2"), ("flags", ">i2")]
)


def _read_statement() -> str:
    flags = " + ".join(
        f"{1 << bit} * coalesce({test}, false)::int" for bit, test in enumerate(FLAGS.values())
    )
    # texts end in a NUL byte each, which no PostgreSQL text holds
    texts = " || ".join(f"convert_to(coalesce({value}, ''), 'UTF8') || '\\x00'::bytea"
                        for value in TEXTS.values())  # fmt: skip
    return f"""select
        string_agg(int4send(profile_id) || int4send(coalesce(born - date '0001-01-01' + 1, 0))
            || int4send(coalesce(born_alt - date '0001-01-01' + 1, 0))
            || int2send(coalesce(sex_any, 0)::smallint) || int2send(({flags})::smallint), ''),
        string_agg({texts}, '')
    from linkage.profiles where profile_id > %s and profile_id <= %s"""


def read_columns(conn: psycopg.Connection) -> dict[str, np.ndarray]:
    """Every profile's compared fields from linkage.profiles, indexed by profile_id (row 0
    unused): flags as booleans, dates as day ordinals (0 when unknown), texts as str ('' when
    missing). The profiles must be numbered 1..n."""
    statement, cursor = _read_statement(), conn.cursor(binary=True)
    last = conn.execute("select coalesce(max(profile_id), 0) from linkage.profiles").fetchone()[0]
    numbers, texts = [], []
    for start in range(0, last, READ_CHUNK):  # a plain aggregate each: grouped, it sorted all
        packed, text = cursor.execute(statement, (start, start + READ_CHUNK)).fetchone()
        numbers.append(np.frombuffer(packed or b"", dtype=NUMBERS))
        texts += bytes(text or b"").decode().split("\0")[:-1]
    rows = np.concatenate(numbers) if numbers else np.zeros(0, NUMBERS)
    cells = np.array(texts, dtype=object)
    ids = rows["profile_id"]
    if not np.array_equal(np.sort(ids), np.arange(1, len(ids) + 1)):
        raise RuntimeError("linkage.profiles is not numbered 1..n; run a full linkage")
    size = len(ids) + 1
    columns = {}
    for name in ("born", "born_alt"):
        columns[name] = np.zeros(size, np.int32)
        columns[name][ids] = rows[name]
    columns["sex"] = np.zeros(size, np.int8)
    columns["sex"][ids] = rows["sex"]
    for bit, name in enumerate(FLAGS):
        columns[name] = np.zeros(size, bool)
        columns[name][ids] = (rows["flags"] >> bit) & 1 == 1
    cells = cells.reshape(len(ids), len(TEXTS))
    for position, name in enumerate(TEXTS):
        columns[name] = np.full(size, "", dtype=object)
        columns[name][ids] = cells[:, position]
    return columns


def write_profiles(conn: psycopg.Connection, profiles: Profiles, append: bool = False) -> None:
    """linkage.profiles: the blocking keys and compared fields of every profile, for SQL to
    pair them and for later runs to read instead of deriving them again (append: add the
    profiles of a new month to those there)."""
    if not append:
        conn.execute("drop table if exists linkage.profiles")
        conn.execute(
            """create table linkage.profiles (
                profile_id integer primary key, role text, id_number text, id_valid boolean,
                masked boolean, doc text, name text, pinyin text, born date, born_alt date,
                precision text, district_code text, phone text, id_tail text, birth_date date,
                sex_any smallint, street_code text, community_code text)"""
        )
    copy_frame(conn, "linkage.profiles", profiles.frame.iloc[1:][list(COLUMNS)])
