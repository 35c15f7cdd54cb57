"""Resident ID numbers (GB 11643, check character by python-stdnum) and non-ID documents."""

from __future__ import annotations

import numpy as np
from stdnum.cn import ric

from .months import components

# An ID keeps the code of where it was issued, so people registered in these districts mostly
# hold the code of the county or district it replaced (滨海新区: 塘沽, 汉沽, 大港).
FORMER_CODES = {
    120114: ((120222, 1.0),),
    120115: ((120224, 1.0),),
    120116: ((120107, 0.55), (120108, 0.15), (120109, 0.30)),
    120117: ((120221, 1.0),),
    120118: ((120223, 1.0),),
    120119: ((120225, 1.0),),
}
# Year from which a new code replaced an old one: people born since carry the new code.
RENAMED = {
    120222: (2000, 120114),
    120224: (2001, 120115),
    120107: (2009, 120116),
    120108: (2009, 120116),
    120109: (2009, 120116),
    120221: (2015, 120117),
    120223: (2015, 120118),
    120225: (2016, 120119),
}
# Former county codes (宁河县, 武清县, 静海县, 宝坻县, 蓟县). They were in use when elders' numbers
# were issued (1984 on), but stdnum ties a code to the holder's birth year and rejects them for
# anyone born before 1982.
LEGACY_COUNTY_CODES = frozenset({"120221", "120222", "120223", "120224", "120225"})
# Codes outside Tianjin that stdnum accepts for every birth year (Beijing, Hebei, Shandong ...).
OTHER_PROVINCES = np.array(
    str.split("110101 110105 110108 132121 132126 132130 372401 370122 210121 412301 232122"),
    dtype=np.int64,
)
DOC_TYPES = str.split(
    "居民身份证 港澳居民来往内地通行证 台湾居民来往大陆通行证 外国人永久居留身份证 护照"
)


def issuer_codes(
    rng: np.random.Generator, district_code: np.ndarray, birth_year: np.ndarray
) -> np.ndarray:
    """Issuing code of people registered in the given districts (6-digit integers)."""
    out = np.asarray(district_code, dtype=np.int64).copy()
    for code, issuers in FORMER_CODES.items():
        sel = np.flatnonzero(out == code)
        codes = np.array([c for c, _ in issuers], dtype=np.int64)
        p = np.array([w for _, w in issuers])
        out[sel] = rng.choice(codes, size=sel.size, p=p / p.sum())
    for old, (year, new) in RENAMED.items():
        out[(out == old) & (birth_year >= year)] = new
    return out


def other_province_codes(rng: np.random.Generator, size: int) -> np.ndarray:
    """Issuing codes of people who came to Tianjin from elsewhere."""
    return rng.choice(OTHER_PROVINCES, size=size)


def build_ids(
    rng: np.random.Generator,
    prefix: np.ndarray,
    birth: np.ndarray,
    sex: np.ndarray,
    taken: np.ndarray | None = None,
) -> np.ndarray:
    """Unique 18-character ID numbers (bytes) consistent with birth date and sex, none of them
    in `taken` (sorted first-17-digit integers)."""
    year, month, day = components(birth)
    base = prefix * 10**11 + (year * 10000 + month * 100 + day) * 1000
    male = (sex == 1).astype(np.int64)
    id17 = base + rng.integers(0, 500, size=len(base)) * 2 + male
    taken = taken if taken is not None else np.empty(0, dtype=np.int64)
    while True:
        order = np.argsort(id17, kind="stable")
        ordered = id17[order]
        dup = np.zeros(len(id17), dtype=bool)
        dup[order[1:][ordered[1:] == ordered[:-1]]] = True
        dup |= _member(id17, taken)
        if not dup.any():
            break
        id17[dup] = base[dup] + rng.integers(0, 500, size=int(dup.sum())) * 2 + male[dup]
    text = id17.astype(str).tolist()
    return np.array([s + ric.calc_check_digit(s + "0") for s in text], dtype="S18")


def _member(values: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """Which values occur in a sorted array."""
    pos = np.minimum(np.searchsorted(ordered, values), max(len(ordered) - 1, 0))
    return (ordered[pos] == values) if len(ordered) else np.zeros(len(values), dtype=bool)


def id17_of(ids: np.ndarray) -> np.ndarray:
    """The first 17 digits of byte ID numbers as integers (0 for an empty number)."""
    out = np.zeros(len(ids), dtype=np.int64)
    has = ids != b""
    out[has] = ids[has].astype("S17").astype(np.int64)
    return out


def legacy15(id18: str) -> str:
    """The 15-digit form: no century, no check character."""
    return id18[:6] + id18[8:17]


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(d) for d in rng.integers(0, 10, size=n))


def doc_number(rng: np.random.Generator, doc_type: int, birth_day: int) -> str:
    """A plausible number for a non-ID document."""
    if doc_type == 1:
        return ("H" if rng.random() < 0.7 else "M") + _digits(rng, 8)
    if doc_type == 2:
        return _digits(rng, 8)
    if doc_type == 3:
        y, m, d = (int(v[0]) for v in components(np.array([birth_day])))
        country = ("KOR", "JPN", "USA", "RUS", "DEU")[int(rng.integers(5))]
        return f"{country}12{y % 100:02d}{m:02d}{d:02d}{_digits(rng, 4)}"
    style = int(rng.integers(3))
    if style == 0:
        return "M" + _digits(rng, 8)
    if style == 1:
        return "T" + "RKZ"[int(rng.integers(3))] + _digits(rng, 7)
    return _digits(rng, 9)
