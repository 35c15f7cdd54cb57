"""Life events over the month range: deaths, moves, household transfers, institution stays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .facilities import Institutions
from .months import NEVER, Month
from .places import communities_in, houses
from .population import Population
from .regions import Regions

DISCHARGE_REASONS = ("", "死亡", "转院", "回家")
_DISABILITY_MORTALITY = np.array([1.0, 1.3, 1.8, 2.5, 3.5])
_INITIAL_STAY = np.array([0.005, 0.02, 0.06, 0.15, 0.25])
_ADMISSION = np.array([0.0002, 0.001, 0.003, 0.008, 0.012])  # per month, by ability level
_MOVE_OUT = 0.003 / 12
_TRANSFER = 0.015 / 12
_DISCHARGE = 0.008


@dataclass
class Events:
    """Event days per person (NEVER when the event does not happen in the range)."""

    death: np.ndarray
    moved_out: np.ndarray
    transfer: np.ndarray
    hukou_comm2: np.ndarray
    house2: np.ndarray
    stay_inst: np.ndarray
    admit: np.ndarray
    discharge: np.ndarray
    reason: np.ndarray

    def alive_on(self, day: int) -> np.ndarray:
        """Alive at the end of the day."""
        return self.death > day

    def in_tianjin_on(self, day: int) -> np.ndarray:
        """Has not moved out of the city by the end of the day."""
        return self.moved_out > day

    def hukou_on(self, pop: Population, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Registered community and dwelling at the end of the day."""
        moved = self.transfer <= day
        return (
            np.where(moved, self.hukou_comm2, pop.hukou_comm),
            np.where(moved, self.house2, pop.hukou_house),
        )

    def residence_on(self, pop: Population, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Residence community and dwelling at the end of the day (-1 outside Tianjin)."""
        moved = (self.transfer <= day) & (pop.res_comm >= 0)
        return (
            np.where(moved, self.hukou_comm2, pop.res_comm),
            np.where(moved, self.house2, pop.res_house),
        )

    def staying(self, first: int, last: int) -> np.ndarray:
        """People in an institution at any time between the two days."""
        return (self.stay_inst >= 0) & (self.admit <= last) & (self.discharge >= first)


def _annual_mortality(age: np.ndarray, ability: np.ndarray) -> np.ndarray:
    q = 0.005 * np.exp(0.09 * (age.astype(float) - 60)) * _DISABILITY_MORTALITY[ability]
    return np.minimum(q, 0.6)


def _pick_institutions(rng, regions, inst: Institutions, comm: np.ndarray) -> np.ndarray:
    """An institution per admitted person, mostly in the district where they live."""
    out = rng.choice(len(inst.code), size=len(comm), p=inst.weight / inst.weight.sum())
    local = rng.random(len(comm)) < 0.75
    district = regions.comm_district[comm]
    for d in np.unique(district[local]):
        choices = np.flatnonzero(inst.district == d)
        sel = np.flatnonzero(local & (district == d))
        if choices.size:
            w = inst.weight[choices]
            out[sel] = rng.choice(choices, size=sel.size, p=w / w.sum())
    return out.astype(np.int32)


def _in_month(rng: np.random.Generator, month: Month, size: int) -> np.ndarray:
    return (month.start + rng.integers(0, month.end - month.start + 1, size)).astype(np.int32)


def simulate(rng, pop: Population, regions: Regions, inst: Institutions, months: list[Month]):
    """Draw every event month by month, keeping them consistent with each other."""
    n = len(pop)
    ev = Events(
        **{k: np.full(n, NEVER, dtype=np.int32) for k in ("death", "moved_out", "transfer")},
        hukou_comm2=pop.hukou_comm.copy(),
        house2=pop.hukou_house.copy(),
        stay_inst=np.full(n, -1, dtype=np.int32),
        admit=np.full(n, NEVER, dtype=np.int32),
        discharge=np.full(n, NEVER, dtype=np.int32),
        reason=np.zeros(n, dtype=np.int8),
    )
    start = months[0].start
    age0 = pop.age(start)
    initial = (age0 >= 62) & (pop.res_comm >= 0) & (rng.random(n) < _INITIAL_STAY[pop.ability])
    idx = np.flatnonzero(initial)
    ev.stay_inst[idx] = _pick_institutions(rng, regions, inst, pop.res_comm[idx])
    ev.admit[idx] = start - 1 - np.minimum(rng.exponential(700, idx.size), 3000).astype(np.int32)
    for month in months:
        _step(rng, pop, regions, inst, ev, month)
    dies_inside = (ev.stay_inst >= 0) & (ev.death <= ev.discharge)
    ev.discharge[dies_inside] = ev.death[dies_inside]
    ev.reason[dies_inside] = 1
    return ev


def _step(rng, pop: Population, regions: Regions, inst: Institutions, ev: Events, month: Month):
    n = len(pop)
    age = pop.age(month.start)
    here = ev.alive_on(month.start - 1) & ev.in_tianjin_on(month.start - 1)
    q = 1 - (1 - _annual_mortality(age, pop.ability)) ** (1 / 12)
    dies = np.flatnonzero(here & (rng.random(n) < q))
    ev.death[dies] = _in_month(rng, month, dies.size)
    stays = ev.stay_inst >= 0
    survives = here & (ev.death > month.end)
    moves = np.flatnonzero(survives & ~stays & (rng.random(n) < _MOVE_OUT))
    ev.moved_out[moves] = _in_month(rng, month, moves.size)
    survives &= ev.moved_out > month.end
    transfer = (pop.kind == 0) & (ev.transfer == NEVER) & (rng.random(n) < _TRANSFER)
    idx = np.flatnonzero(survives & transfer)
    ev.transfer[idx] = _in_month(rng, month, idx.size)
    near = rng.random(idx.size) < 0.6
    old = pop.hukou_comm[idx]
    target = np.where(near, regions.comm_district[old], rng.integers(0, 16, idx.size))
    ev.hukou_comm2[idx] = communities_in(rng, regions, target.astype(np.int16))
    ev.house2[idx] = houses(rng, idx.size)
    resident, _ = ev.residence_on(pop, month.start)
    admit = survives & ~stays & (age >= 60) & (resident >= 0)
    admit &= rng.random(n) < _ADMISSION[pop.ability]
    idx = np.flatnonzero(admit)
    ev.stay_inst[idx] = _pick_institutions(rng, regions, inst, resident[idx])
    ev.admit[idx] = _in_month(rng, month, idx.size)
    inside = stays & (ev.discharge == NEVER) & (ev.admit < month.start)
    idx = np.flatnonzero(inside & (rng.random(n) < _DISCHARGE))
    ev.discharge[idx] = _in_month(rng, month, idx.size)
    ev.reason[idx] = np.where(rng.random(idx.size) < 0.3, 2, 3)
