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

    @classmethod
    def read(cls, conn: psycopg.Connection) -> Profiles:
        """From linkage.profiles, as written by write_profiles (no name is read again)."""
        cursor = conn.execute(f"select {', '.join(COLUMNS)} from linkage.profiles order by 1")
        rows = cursor.fetchall()
        if [row[0] for row in rows] != list(range(1, len(rows) + 1)):
            raise RuntimeError("linkage.profiles is not numbered 1..n; run a full linkage")
        frame = pd.DataFrame([(0,) + (None,) * (len(COLUMNS) - 1), *rows], columns=COLUMNS)
        frame = frame.astype(object).where(frame.notna(), None)
        frame["sex_any"] = frame["sex_any"].map(lambda sex: int(sex or 0))
        return cls(frame)

    def __len__(self) -> int:
        return len(self.frame) - 1


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


# The blocking keys, and what the comparisons need besides (Arrays.of reads them back).
COLUMNS = (
    "profile_id", "role", "id_number", "id_valid", "masked", "doc", "name", "pinyin", "born",
    "born_alt", "precision", "district_code", "phone", "id_tail", "birth_date", "sex_any",
    "street_code", "community_code",
)  # fmt: skip


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
