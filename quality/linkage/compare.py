"""Comparison vectors of candidate pairs, in chunks, as small integer levels (int8).

Level 0 means a side is missing the field; 1 means the sides disagree; higher levels mean
closer agreement. Strings are compared with rapidfuzz only where exact codes differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import psycopg
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from quality.linkage.profiles import read_columns

FEATURES = ("id", "name", "birth", "sex", "place", "phone")
LEVELS = {
    "id": ("missing", "different", "masked compatible", "one digit or transposition", "exact"),
    "name": ("missing", "different", "near (typo)", "same pinyin", "exact"),
    "birth": ("missing", "different", "same year", "month/day swap or year-month", "exact"),
    "sex": ("missing", "different", "same"),
    "place": ("missing", "other district", "same district", "same street", "same community"),
    "phone": ("missing", "different", "same"),
}
MASK = ord("*")
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # day ordinals (date.toordinal()) to numpy days


def _codes(values: np.ndarray) -> np.ndarray:
    """Equal values, equal codes (numbered in order of first appearance from 1); 0 for
    missing ('')."""
    codes, distinct = pd.factorize(values)
    empty = np.flatnonzero(distinct == "")
    if len(empty):
        codes = np.where(codes == empty[0], -1, codes - (codes > empty[0]))
    return (codes + 1).astype(np.int32)


@dataclass
class Arrays:
    """Per-profile arrays the comparisons index with profile ids (row 0 is unused)."""

    elder: np.ndarray
    applicant: np.ndarray
    id_code: np.ndarray
    id_valid: np.ndarray
    doc: np.ndarray
    id_text: np.ndarray
    id_bytes: np.ndarray
    masked: np.ndarray
    name_code: np.ndarray
    name: np.ndarray
    pinyin_code: np.ndarray
    pinyin: np.ndarray
    born: np.ndarray
    born_from_id: np.ndarray
    born_alt: np.ndarray
    year_month: np.ndarray
    month_precision: np.ndarray
    sex: np.ndarray
    district: np.ndarray
    street: np.ndarray
    community: np.ndarray
    phone: np.ndarray

    @classmethod
    def read(cls, conn: psycopg.Connection) -> Arrays:
        """Every profile of linkage.profiles (write_profiles), which must be numbered 1..n."""
        c = read_columns(conn)
        ids = c["id_number"]
        padded = "".join(number or "\0" * 18 for number in ids)
        id_bytes = np.frombuffer(padded.encode("ascii", "replace"), dtype=np.uint8)
        born = c["born"]
        months = (born - EPOCH_ORDINAL).astype("datetime64[D]").astype("datetime64[M]")
        months = months.astype(np.int64)  # since 1970-01
        return cls(
            elder=c["elder"],
            applicant=c["applicant"],
            id_code=_codes(ids),
            id_valid=c["id_valid"],
            doc=_codes(c["doc"]),
            id_text=ids,
            id_bytes=id_bytes.reshape(len(ids), 18).copy(),
            masked=c["masked"],
            name_code=_codes(c["name"]),
            name=c["name"],
            pinyin_code=_codes(c["pinyin"]),
            pinyin=c["pinyin"],
            born=born,
            born_from_id=c["born_from_id"],
            born_alt=c["born_alt"],
            year_month=np.where(born > 0, (1970 + months // 12) * 100 + months % 12 + 1, 0).astype(
                np.int32
            ),
            month_precision=c["month_precision"],
            sex=c["sex"],
            district=_codes(c["district_code"]),
            street=_codes(c["street_code"]),
            community=_codes(c["community_code"]),
            phone=_codes(c["phone"]),
        )

    def __len__(self) -> int:
        """The number of profiles."""
        return len(self.id_code) - 1


def _id_level(a: Arrays, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    level = np.zeros(len(left), dtype=np.int8)
    both = (a.id_code[left] > 0) & (a.id_code[right] > 0)
    level[both] = 1
    masked = both & (a.masked[left] | a.masked[right])
    if masked.any():
        lb, rb = a.id_bytes[left[masked]], a.id_bytes[right[masked]]
        fits = ((lb == rb) | (lb == MASK) | (rb == MASK)).all(axis=1)
        level[np.flatnonzero(masked)[fits]] = 2
    near = both & ~masked & (a.id_code[left] != a.id_code[right])
    if near.any():
        rows = np.flatnonzero(near)
        edits = process.cpdist(a.id_text[left[rows]], a.id_text[right[rows]], scorer=OSA.distance)
        level[rows[edits == 1]] = 3
    level[both & ~masked & (a.id_code[left] == a.id_code[right])] = 4
    return level


def _name_level(a: Arrays, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    level = np.zeros(len(left), dtype=np.int8)
    both = (a.name_code[left] > 0) & (a.name_code[right] > 0)
    level[both] = 1
    open_ = both & (a.pinyin_code[left] != a.pinyin_code[right])
    if open_.any():
        rows = np.flatnonzero(open_)
        ln, rn = a.name[left[rows]], a.name[right[rows]]
        edits = process.cpdist(ln, rn, scorer=Levenshtein.distance)
        same_length = np.array([len(x) == len(y) for x, y in zip(ln, rn, strict=False)], dtype=bool)
        jw = process.cpdist(
            a.pinyin[left[rows]], a.pinyin[right[rows]], scorer=JaroWinkler.normalized_similarity
        )
        level[rows[((edits == 1) & same_length) | (jw >= 0.9)]] = 2
    level[both & (a.pinyin_code[left] == a.pinyin_code[right]) & (a.pinyin_code[left] > 0)] = 3
    level[both & (a.name_code[left] == a.name_code[right])] = 4
    return level


def _birth_level(a: Arrays, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    level = np.zeros(len(left), dtype=np.int8)
    lb, rb = a.born[left], a.born[right]
    both = (lb > 0) & (rb > 0)
    level[both] = 1
    lym, rym = a.year_month[left], a.year_month[right]
    level[both & (lym // 100 == rym // 100)] = 2
    coarse = a.month_precision[left] | a.month_precision[right]
    swapped = ((a.born_alt[left] == rb) | (a.born_alt[right] == lb)) & both
    level[(both & coarse & (lym == rym)) | swapped] = 3
    level[both & (lb == rb) & ~coarse] = 4
    return level


def _equal_level(codes: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    level = np.zeros(len(left), dtype=np.int8)
    both = (codes[left] > 0) & (codes[right] > 0)
    level[both] = 1
    level[both & (codes[left] == codes[right])] = 2
    return level


def _place_level(a: Arrays, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    level = _equal_level(a.district, left, right)
    for codes, value in ((a.street, 3), (a.community, 4)):
        same = (codes[left] > 0) & (codes[left] == codes[right])
        level[same] = value
    return level


def features(a: Arrays, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The comparison matrix (pairs x FEATURES) of one chunk, int8.

    A birth date read from an ID number that is one digit off says nothing more than the ID
    comparison already said, so it counts as missing there."""
    matrix = np.column_stack(
        [
            _id_level(a, left, right),
            _name_level(a, left, right),
            _birth_level(a, left, right),
            _equal_level(a.sex, left, right),
            _place_level(a, left, right),
            _equal_level(a.phone, left, right),
        ]
    ).astype(np.int8)
    echo = (matrix[:, 0] == 3) & (a.born_from_id[left] | a.born_from_id[right])
    matrix[echo, 2] = 0
    return matrix


def chunks(
    conn: psycopg.Connection, size: int, table: str = "candidate_pairs"
) -> Iterator[tuple[np.ndarray, ...]]:
    """Candidate pairs (left, right, passes) of linkage.<table> as arrays, `size` at a time."""
    with conn.cursor(name="candidate_pairs") as cursor:
        cursor.itersize = size
        cursor.execute(f"select left_id, right_id, passes from linkage.{table}")
        while rows := cursor.fetchmany(size):
            array = np.array(rows, dtype=np.int32)
            yield array[:, 0], array[:, 1], array[:, 2]
