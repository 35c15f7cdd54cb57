"""persons.csv and monthly_counts.csv in the truth folder, written in chunks."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .agents import Agents
from .context import Context
from .dynamics import DISCHARGE_REASONS
from .id_numbers import DOC_TYPES
from .lines import write_rows
from .months import NEVER
from .population import ETHNICITIES, KINDS
from .traits import ABILITY, HARDSHIP, IN_INSTITUTION, LIVING, phone_text

PERSON_COLUMNS = str.split(
    "person_id is_agent_only agent_for_person_id registration id_number doc_type doc_number name "
    "sex birth_date ethnicity hukou_district_code hukou_street_code hukou_community_code "
    "hukou_transfer_date hukou_community_code_after residence_district_code "
    "residence_street_code residence_community_code residence_grid_code ability_level "
    "hardship_type living_situation institution_code admission_date discharge_date "
    "discharge_reason death_date moved_out_date phone family_phone registry_id_legacy15 "
    "paid_after_death_months is_elder_at_start in_tianjin_from in_tianjin_until"
)
_CHUNK = 50_000


def _obj(values) -> np.ndarray:
    return np.array(values, dtype=object)


def _codes(ctx: Context, comm: np.ndarray) -> list[np.ndarray]:
    """District, street and community codes of communities; empty where comm is -1."""
    r = ctx.regions
    safe = np.maximum(comm, 0)
    out = [
        _obj(r.district_code)[r.comm_district[safe]],
        _obj(r.street_code)[r.comm_street[safe]],
        r.comm_code[safe],
    ]
    for col in out:
        col[comm < 0] = ""
    return out


def _flag(values: np.ndarray) -> np.ndarray:
    return np.asarray(values).astype(np.int8).astype(str).astype(object)


def _people(ctx: Context, idx: np.ndarray, legacy, ghosts) -> list:
    pop, ev, dates = ctx.pop, ctx.events, ctx.dates
    start, starts = ctx.months[0], np.array([m.start for m in ctx.months])
    res = pop.res_comm[idx]
    grid = ctx.regions.comm_code[np.maximum(res, 0)] + np.char.zfill(
        pop.res_grid[idx].astype(str), 3
    ).astype(object)
    grid[res < 0] = ""
    staying = ev.staying(start.start, start.start)[idx]
    inst = ev.stay_inst[idx]
    gone = np.minimum(ev.death[idx], ev.moved_out[idx])
    until = _obj([m.label for m in ctx.months])[np.searchsorted(starts, gone, "right") - 1]
    until[gone == NEVER] = ""
    transfer = ev.transfer[idx]
    after = ctx.regions.comm_code[ev.hukou_comm2[idx]]
    after[transfer == NEVER] = ""
    return [
        ctx.person_ids(idx).astype(str),
        ["0"] * len(idx),
        [""] * len(idx),
        _obj(KINDS)[pop.kind[idx]],
        pop.ids(idx),
        _obj(DOC_TYPES)[pop.doc_type[idx]],
        [v or "" for v in pop.doc_number[idx]],
        pop.names(idx),
        pop.sex[idx].astype(str),
        dates.iso(pop.birth[idx]),
        _obj(ETHNICITIES)[pop.ethnicity[idx]],
        *_codes(ctx, pop.hukou_comm[idx]),
        dates.iso(transfer),
        after,
        *_codes(ctx, res),
        grid,
        _obj(ABILITY)[pop.ability[idx]],
        _obj(HARDSHIP)[pop.hardship[idx]],
        _obj(LIVING)[np.where(staying, IN_INSTITUTION, pop.living[idx])],
        _obj([*ctx.institutions.code, ""])[inst],
        dates.iso(np.where(inst >= 0, ev.admit[idx], NEVER)),
        dates.iso(ev.discharge[idx]),
        _obj(DISCHARGE_REASONS)[ev.reason[idx]],
        dates.iso(ev.death[idx]),
        dates.iso(ev.moved_out[idx]),
        phone_text(pop.phone[idx], pop.landline[idx]),
        phone_text(pop.family_phone[idx], np.zeros(len(idx), bool)),
        _flag(legacy[idx]),
        ghosts[idx].astype(str),
        _flag(pop.elder_at_start[idx]),
        [start.label] * len(idx),
        until,
    ]


def _agents(ctx: Context, agents: Agents) -> list:
    n, pop = len(agents), ctx.pop
    idx = np.arange(n)
    blank = [""] * n
    return [
        agents.person_ids(idx).astype(str),
        ["1"] * n,
        ctx.person_ids(agents.elder).astype(str),
        ["agent"] * n,
        agents.id18.astype("U18"),
        [DOC_TYPES[0]] * n,
        blank,
        agents.names(idx),
        agents.sex.astype(str),
        ctx.dates.iso(agents.birth),
        ["01"] * n,
        *[blank] * 18,
        phone_text(pop.family_phone[agents.elder], np.zeros(n, bool)),
        blank,
        ["0"] * n,
        ["0"] * n,
        ["0"] * n,
        blank,
        blank,
    ]


def write_persons(ctx: Context, path: Path, agents: Agents, legacy, ghosts) -> int:
    """Every person, then every agent; return the number of rows."""
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(PERSON_COLUMNS)
        for lo in range(0, len(ctx.pop), _CHUNK):
            idx = np.arange(lo, min(lo + _CHUNK, len(ctx.pop)))
            write_rows(f, out, _people(ctx, idx, legacy, ghosts))
        write_rows(f, out, _agents(ctx, agents))
    return len(ctx.pop) + len(agents)


def write_monthly_counts(ctx: Context, path: Path) -> None:
    """Living elders (60+ at month end) registered in or living in Tianjin, by district."""
    pop, ev, regions = ctx.pop, ctx.events, ctx.regions
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["month", "district_code", "district_name", "elders"])
        for month in ctx.months:
            here = ev.alive_on(month.end) & ev.in_tianjin_on(month.end)
            here &= pop.age(month.end) >= 60
            res, _ = ev.residence_on(pop, month.end)
            hukou, _ = ev.hukou_on(pop, month.end)
            comm = np.where(res >= 0, res, hukou)[here]
            counts = np.bincount(regions.comm_district[comm], minlength=16)
            for d, code in enumerate(regions.district_code):
                out.writerow([month.label, code, regions.district_name[d], int(counts[d])])
