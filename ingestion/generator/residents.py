"""养老机构在院老人名册: one JSON Lines file per institution per month."""

from __future__ import annotations

import json

import numpy as np

from .context import RESIDENTS, Context
from .defects import NAME, PHONE, Codes, corrupt, duplicate
from .dynamics import DISCHARGE_REASONS
from .months import Month
from .traits import phone_text

SOURCE = "institutions"
FIELDS = str.split(
    "institution_code institution_name institution_district_code resident_name id_number gender "
    "birth_date admission_date discharge_date discharge_reason care_level contact_phone bed_no"
)
ID_KINDS = ("id_missing", "id_masked", "id_legacy15", "id_digit_typo", "id_lowercase_x")
CARE_LEVELS = np.array(["自理", "半护理", "全护理", "全护理", "特级护理"], dtype=object)
_GENDER = {
    False: np.array(["", "男", "女"], dtype=object),
    True: np.array(["", "M", "F"], dtype=object),
}


def _blank_to_null(col: np.ndarray) -> list:
    return [v if v != "" else None for v in col]


def _beds(person: np.ndarray) -> list[str]:
    """A stable bed number per resident: building-room-bed."""
    return [
        f"{1 + p % 3}-{101 + (p // 3) % 40 + 100 * ((p // 120) % 4)}-{1 + (p // 7) % 3}"
        for p in person.tolist()
    ]


def _columns(ctx: Context, i: int, person: np.ndarray, month: Month, rng, codes) -> list:
    pop, ev, inst, rates = ctx.pop, ctx.events, ctx.institutions, ctx.rates
    out = ev.discharge[person] <= month.end
    discharge = np.where(out, ev.discharge[person], np.iinfo(np.int32).max)
    reason = np.array(DISCHARGE_REASONS, dtype=object)[np.where(out, ev.reason[person], 0)]
    district = ctx.regions.district_code[inst.district[i]]
    n = len(person)
    return [
        [inst.code[i]] * n,
        [inst.name[i]] * n,
        [district] * n,
        corrupt(rng, pop.names(person), NAME, rates, codes),
        _blank_to_null(corrupt(rng, pop.ids(person), ID_KINDS, rates, codes)),
        _GENDER[bool(inst.latin_gender[i])][pop.sex[person]],
        corrupt(rng, ctx.dates.iso(pop.birth[person]), ("birth_month_day_swap",), rates, codes),
        ctx.dates.iso(ev.admit[person]),
        _blank_to_null(ctx.dates.iso(discharge)),
        _blank_to_null(reason),
        CARE_LEVELS[pop.ability[person]],
        corrupt(rng, phone_text(pop.family_phone[person], np.zeros(n, bool)), PHONE, rates, codes),
        _beds(person),
    ]


def write_month(ctx: Context, month: Month) -> None:
    """A file for every institution with at least one resident during the month."""
    ev = ctx.events
    present = np.flatnonzero(ev.staying(month.start, month.end))
    present = present[np.lexsort((present, ev.admit[present], ev.stay_inst[present]))]
    inst = ev.stay_inst[present]
    bounds = np.searchsorted(inst, np.arange(len(ctx.institutions.code) + 1))
    for i in np.flatnonzero(np.diff(bounds)):
        person = present[bounds[i] : bounds[i + 1]]
        _write(ctx, int(i), person, month)


def _write(ctx: Context, i: int, person: np.ndarray, month: Month) -> None:
    target, relative = ctx.path(SOURCE, month, f"{ctx.institutions.code[i]}.jsonl")
    rng = ctx.rng(RESIDENTS, month.index, i)
    codes = Codes(len(person))
    columns = _columns(ctx, i, person, month, rng, codes)
    order, copy = duplicate(rng, len(person), ctx.rates.duplicate_row)
    codes = codes.take(order)
    codes.add(np.flatnonzero(copy), "duplicate_row")
    rows = list(zip(*columns, strict=True))
    with target.open("w", encoding="utf-8", newline="\n") as f:
        for k in order.tolist():
            f.write(json.dumps(dict(zip(FIELDS, rows[k], strict=True)), ensure_ascii=False))
            f.write("\n")
    lines = np.arange(1, len(order) + 1)
    ctx.truth.record(SOURCE, relative, lines, ctx.person_ids(person[order]), codes.text())
    ctx.truth.delivered(SOURCE, relative)
