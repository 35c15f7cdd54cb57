"""Defect rates, which defects each feed carries, and how they are applied and recorded."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from . import corruptions


@dataclass(frozen=True)
class DefectRates:
    """Per-row probability of each defect (id_lowercase_x: of rows whose ID ends in X;
    paid_after_death: of recipients who die; id_legacy15 in public security: per person)."""

    name_typo: float = 0.01
    name_homophone: float = 0.01
    id_missing: float = 0.01
    id_masked: float = 0.03
    id_legacy15: float = 0.005
    id_digit_typo: float = 0.005
    id_transposition: float = 0.003
    id_lowercase_x: float = 0.2
    id_spaces: float = 0.01
    id_fullwidth: float = 0.01
    birth_month_day_swap: float = 0.02
    birth_year_month_dot: float = 0.03
    birth_cn_year_month: float = 0.03
    birth_compact: float = 0.03
    birth_excel_date: float = 0.03
    phone_plus86: float = 0.02
    phone_86_prefix: float = 0.01
    phone_spaces: float = 0.02
    phone_dashes: float = 0.02
    duplicate_row: float = 0.005
    paid_in_two_districts: float = 0.002
    paid_after_death: float = 0.05

    @classmethod
    def none(cls) -> DefectRates:
        """Clean feeds: every rate zero."""
        return cls(**{f.name: 0.0 for f in fields(cls)})


# Row-level codes that are not rates: the 合计 row, and the planted anomalies.
TOTALS_ROW = "totals_row"
NAME = ("name_typo", "name_homophone")
PHONE = ("phone_plus86", "phone_86_prefix", "phone_spaces", "phone_dashes")
# Kinds that leave the ID unusable stop later ID kinds; typos and formatting may stack.
_FINAL = {"id_missing", "id_masked", "id_legacy15"} | set(NAME) | set(PHONE)
_FINAL |= {"birth_month_day_swap", "birth_year_month_dot", "birth_cn_year_month"}
_FINAL |= {"birth_compact", "birth_excel_date"}
_TRANSFORMS = {
    "name_typo": corruptions.name_typo,
    "name_homophone": corruptions.name_homophone,
    "id_missing": corruptions.missing,
    "id_masked": corruptions.id_masked,
    "id_legacy15": corruptions.id_legacy15,
    "id_digit_typo": corruptions.id_digit_typo,
    "id_transposition": corruptions.id_transposition,
    "id_lowercase_x": corruptions.id_lowercase_x,
    "id_spaces": corruptions.id_spaces,
    "id_fullwidth": corruptions.id_fullwidth,
    "birth_month_day_swap": corruptions.month_day_swap,
    "birth_year_month_dot": corruptions.year_month_dot,
    "birth_cn_year_month": corruptions.cn_year_month,
    "birth_compact": corruptions.compact_date,
    "birth_excel_date": corruptions.excel_date,
    "phone_plus86": corruptions.phone_plus86,
    "phone_86_prefix": corruptions.phone_86_prefix,
    "phone_spaces": corruptions.phone_spaces,
    "phone_dashes": corruptions.phone_dashes,
}


_ROW_LEVEL = {
    "duplicate_row": "the same row delivered twice in a row; the second copy carries the code",
    "paid_in_two_districts": "an extra payment row in another district's roster (anomaly)",
    "paid_after_death": "a payment in a month after the month of death (anomaly)",
}


def describe(code: str) -> str:
    """One line saying what a defect code does to a delivered row."""
    if code in _ROW_LEVEL:
        return _ROW_LEVEL[code]
    return " ".join(_TRANSFORMS[code].__doc__.split())


class Codes:
    """The defect codes applied to each row of one delivery, in the order applied."""

    def __init__(self, n: int) -> None:
        self.values = np.full(n, "", dtype=object)

    def add(self, rows: np.ndarray, code: str) -> None:
        """Record a code on the given rows."""
        self.values[rows] = self.values[rows] + (";" + code)

    def text(self) -> np.ndarray:
        """Semicolon-separated codes per row, empty where none."""
        return np.array([v[1:] for v in self.values], dtype=object)

    def take(self, order: np.ndarray) -> Codes:
        """The codes of rows in a new order (used when rows are duplicated)."""
        out = Codes(0)
        out.values = self.values[order]
        return out


def corrupt(
    rng: np.random.Generator,
    values: np.ndarray,
    kinds: tuple[str, ...],
    rates: DefectRates,
    codes: Codes,
    only: np.ndarray | None = None,
) -> np.ndarray:
    """Apply each kind, in order, to a random share of one column (of the rows in `only`,
    if given); record what took effect."""
    out = values.copy()
    done = np.zeros(len(out), dtype=bool) if only is None else ~only
    done |= out == ""
    for kind in kinds:
        rate = getattr(rates, kind)
        if rate <= 0:
            continue
        rows = np.flatnonzero((rng.random(len(out)) < rate) & ~done)
        if not rows.size:
            continue
        changed = _TRANSFORMS[kind](rng, out[rows])
        applied = np.array([c is not corruptions.SKIP for c in changed], dtype=bool)
        rows = rows[applied]
        out[rows] = [c for c in changed if c is not corruptions.SKIP]
        codes.add(rows, kind)
        if kind in _FINAL:
            done[rows] = True
    return out


def duplicate(rng: np.random.Generator, n: int, rate: float) -> tuple[np.ndarray, np.ndarray]:
    """Row order with some rows delivered twice in a row, and which rows are the copies."""
    twice = rng.random(n) < rate
    order = np.repeat(np.arange(n), 1 + twice.astype(np.int64))
    copy = np.zeros(len(order), dtype=bool)
    copy[1:] = order[1:] == order[:-1]
    return order, copy
