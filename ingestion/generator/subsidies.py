"""Who is paid which subsidy each month, by rule, and the planted payments after death."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .context import CIVIL_AFFAIRS, STICKY, Context
from .months import NEVER, Month

TYPES = ("高龄津贴", "居家养老服务补贴", "经济困难老年人生活补贴", "失能老年人护理补贴")
OLD_AGE, HOME_CARE, LIVING_ALLOWANCE, NURSING = range(4)
# Amounts in fen (1/100 yuan). 居家养老服务补贴 uses Tianjin's 2017 figures; the others are
# this generator's own rule, documented in the truth README.
OLD_AGE_TIERS = ((80, 10000), (90, 20000), (100, 50000))  # from age: monthly amount
HOME_CARE_BY_ABILITY = (0, 20000, 40000, 60000, 60000)  # 轻/中/重/完全失能, hardship only
LIVING_BY_HARDSHIP = (0, 20000, 30000, 10000)  # 低保 200, 特困 300, 低收入 100
NURSING_BY_ABILITY = (0, 0, 0, 15000, 30000)  # 重度 150, 完全失能 300


@dataclass
class Payments:
    """One row per person per subsidy type in one month."""

    person: np.ndarray
    kind: np.ndarray
    fen: np.ndarray
    after_death: np.ndarray


def ghost_months(ctx: Context) -> np.ndarray:
    """Months a deceased recipient keeps being paid after the month of death (0 for most)."""
    rng = ctx.rng(CIVIL_AFFAIRS, STICKY)
    n = len(ctx.pop)
    planted = (rng.random(n) < ctx.rates.paid_after_death) & (ctx.events.death != NEVER)
    return np.where(planted, rng.integers(1, 4, n), 0).astype(np.int8)


def death_month(ctx: Context) -> np.ndarray:
    """Index of the month of death, -1 if the person does not die in the range."""
    starts = np.array([m.start for m in ctx.months])
    idx = np.searchsorted(starts, ctx.events.death, side="right") - 1
    return np.where(ctx.events.death == NEVER, -1, idx).astype(np.int16)


def payments(ctx: Context, month: Month, ghosts: np.ndarray, died: np.ndarray) -> Payments:
    """Everyone paid this month: registered, not moved out, 60 by month end, alive on the 1st
    (or a planted payment after death)."""
    pop, ev = ctx.pop, ctx.events
    age = pop.age(month.end)
    ghost = (ev.death < month.start) & (died >= 0) & (month.index - died <= ghosts)
    base = (pop.kind == 0) & (ev.moved_out >= month.start) & (age >= 60)
    base &= (ev.death >= month.start) | ghost
    at_home = ~ev.staying(month.start, month.start)
    tier = np.zeros(len(pop), dtype=np.int64)
    for low, fen in OLD_AGE_TIERS:
        tier[age >= low] = fen
    rules = (
        (OLD_AGE, base & (age >= 80), tier),
        (
            HOME_CARE,
            base & at_home & (pop.ability >= 1) & (pop.hardship >= 1),
            np.array(HOME_CARE_BY_ABILITY)[pop.ability],
        ),
        (LIVING_ALLOWANCE, base & (pop.hardship >= 1), np.array(LIVING_BY_HARDSHIP)[pop.hardship]),
        (NURSING, base & (pop.ability >= 3), np.array(NURSING_BY_ABILITY)[pop.ability]),
    )
    person, kind, fen = [], [], []
    for code, mask, amount in rules:
        idx = np.flatnonzero(mask)
        person.append(idx)
        kind.append(np.full(idx.size, code, dtype=np.int8))
        fen.append(amount[idx])
    person = np.concatenate(person)
    return Payments(person, np.concatenate(kind), np.concatenate(fen), ghost[person])
