"""The generated people as numpy columns: who they are, where they live, how they fare."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import id_numbers, names, places, traits
from .months import Month, age_from, age_on, components, day_number, same_month_years_before
from .regions import Regions

# Share of the 60+ population per age band (lower, upper, per cent), shaped on Tianjin's census.
AGE_BANDS = (
    (60, 65, 27.0),
    (65, 70, 26.0),
    (70, 75, 19.0),
    (75, 80, 11.0),
    (80, 85, 9.0),
    (85, 90, 5.5),
    (90, 95, 2.0),
    (95, 100, 0.45),
    (100, 106, 0.05),
)
# Share of women by age, interpolated.
_FEMALE_AGES = (59, 65, 70, 75, 80, 85, 90, 95, 100, 105)
_FEMALE_SHARE = (0.49, 0.505, 0.52, 0.54, 0.57, 0.60, 0.64, 0.69, 0.75, 0.80)
ETHNICITIES = ("01", "03", "11", "10", "05", "17", "02")
_ETHNICITY_P = (0.968, 0.015, 0.006, 0.001, 0.006, 0.002, 0.002)
_DOT_NAMED = ("05", "17", "02")
KINDS = ("registered", "migrant", "non_mainland")  # 户籍 in Tianjin, from elsewhere, no ID card
_KIND_P = (0.94, 0.055, 0.005)
_DOC_P = (0.35, 0.25, 0.15, 0.25)  # 港澳, 台湾, 永久居留, 护照 among non-mainland people


@dataclass
class Population:
    """One row per person; person_id is the index plus one."""

    birth: np.ndarray
    sex: np.ndarray
    ethnicity: np.ndarray
    name_first: np.ndarray
    name_second: np.ndarray
    kind: np.ndarray
    id18: np.ndarray
    doc_type: np.ndarray
    doc_number: np.ndarray
    hukou_comm: np.ndarray
    hukou_house: np.ndarray
    res_comm: np.ndarray
    res_house: np.ndarray
    res_grid: np.ndarray
    ability: np.ndarray
    hardship: np.ndarray
    living: np.ndarray
    phone: np.ndarray
    landline: np.ndarray
    family_phone: np.ndarray
    elder_at_start: np.ndarray

    def __len__(self) -> int:
        return len(self.birth)

    @cached_property
    def birth_ymd(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Year, month and day of birth."""
        return tuple(c.astype(np.int16) for c in components(self.birth))

    def age(self, day: int) -> np.ndarray:
        """Completed years of age of everyone on the given day."""
        return age_from(self.birth_ymd, day)

    def names(self, idx: np.ndarray) -> np.ndarray:
        """Names of the given people."""
        return names.render(self.name_first[idx], self.name_second[idx])

    def ids(self, idx: np.ndarray) -> np.ndarray:
        """True 18-character ID numbers (empty for non-ID holders) as text."""
        return np.array([b.decode() for b in self.id18[idx].tolist()], dtype=object)


def _ages(rng: np.random.Generator, elders: int) -> np.ndarray:
    p = np.array([b[2] for b in AGE_BANDS])
    band = rng.choice(len(AGE_BANDS), size=elders, p=p / p.sum())
    low = np.array([b[0] for b in AGE_BANDS])[band]
    high = np.array([b[1] for b in AGE_BANDS])[band]
    return low + rng.random(elders) * (high - low)


def _births(rng: np.random.Generator, elders: int, months: list[Month]) -> np.ndarray:
    """Elders aged 60+ on the first day, plus everyone who reaches the registry extract later."""
    first, last = months[0], months[-1]
    turned_60 = day_number(first.year - 60, first.month)
    elder_birth = np.minimum(first.start - np.round(_ages(rng, elders) * 365.2425), turned_60)
    latest = same_month_years_before(last, 59)  # born by then: in the last month's extract
    per_year = elders * AGE_BANDS[0][2] / 100 / 5
    young = round(float(per_year * (latest - turned_60) / 365.2425))
    young_birth = rng.integers(turned_60 + 1, latest + 1, size=young)
    return np.concatenate([elder_birth, young_birth]).astype(np.int32)


def _identity(rng: np.random.Generator, birth: np.ndarray, age: np.ndarray) -> dict:
    n = len(birth)
    sex = np.where(rng.random(n) < np.interp(age, _FEMALE_AGES, _FEMALE_SHARE), 2, 1)
    ethnicity = rng.choice(len(ETHNICITIES), size=n, p=_ETHNICITY_P).astype(np.int8)
    first = names.surnames(rng, n)
    second = names.given_names(rng, sex, components(birth)[0])
    dotted = np.flatnonzero(np.isin(ethnicity, [ETHNICITIES.index(e) for e in _DOT_NAMED]))
    first[dotted], second[dotted] = names.dot_names(rng, sex[dotted])
    return {
        "sex": sex.astype(np.int8),
        "ethnicity": ethnicity,
        "name_first": first,
        "name_second": second,
    }


def _documents(rng, regions: Regions, birth, sex, kind, hukou_comm) -> dict:
    n = len(birth)
    prefix = id_numbers.other_province_codes(rng, n)
    registered = np.flatnonzero(kind == 0)
    local = registered[rng.random(registered.size) < 0.93]
    district = regions.district_of(hukou_comm[local])
    prefix[local] = id_numbers.issuer_codes(rng, district, components(birth[local])[0])
    id18 = id_numbers.build_ids(rng, prefix, birth, sex)
    doc_type = np.zeros(n, dtype=np.int8)
    doc_number = np.full(n, None, dtype=object)
    foreign = np.flatnonzero(kind == 2)
    doc_type[foreign] = 1 + rng.choice(4, size=foreign.size, p=_DOC_P)
    id18[foreign] = b""
    for i in foreign:
        doc_number[i] = id_numbers.doc_number(rng, int(doc_type[i]), int(birth[i]))
    return {"id18": id18, "doc_type": doc_type, "doc_number": doc_number}


def build_population(
    rng: np.random.Generator, regions: Regions, elders: int, months: list[Month]
) -> Population:
    """Draw every person who is an elder at the start or enters the registry extract later."""
    birth = _births(rng, elders, months)
    age = age_on(birth, months[0].start)
    kind = rng.choice(len(KINDS), size=len(birth), p=_KIND_P).astype(np.int8)
    where = places.place(rng, regions, age, kind)
    home = np.where(where["hukou_comm"] >= 0, where["hukou_comm"], where["res_comm"])
    rural = regions.district_rural[regions.comm_district[home]]
    phone, landline = traits.phones(rng, age)
    who = _identity(rng, birth, age)
    return Population(
        birth=birth,
        kind=kind,
        **who,
        **_documents(rng, regions, birth, who["sex"], kind, where["hukou_comm"]),
        **where,
        ability=traits.ability(rng, age),
        hardship=traits.hardship(rng, rural),
        living=traits.living(rng, age),
        phone=phone,
        landline=landline,
        family_phone=traits.mobiles(rng, len(birth)),
        elder_at_start=age >= 60,
    )
