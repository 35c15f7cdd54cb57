"""公安人口信息: full extracts and monthly deltas, GB18030 CSV with CRLF line endings."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from .context import PUBLIC_SECURITY, STICKY, Context
from .defects import Codes, corrupt, duplicate
from .id_numbers import legacy15
from .lines import write_rows
from .months import NEVER, Month
from .places import address
from .population import ETHNICITIES

SOURCE = "public_security"
HEADER = str.split(
    "公民身份号码 姓名 性别 民族 出生日期 户籍地址 户籍地区划代码 人员状态 状态变更日期"
)
FULL_EVERY = 12  # a fresh full extract every twelve months, besides the monthly deltas
_CHUNK = 100_000
_ETHNICITY = np.array(ETHNICITIES, dtype=object)


@dataclass
class Registry:
    """Per person: the month the extract first lists them, and a sticky 15-digit number."""

    entry: np.ndarray
    listed_from: np.ndarray
    legacy: np.ndarray


def registry(ctx: Context) -> Registry:
    """Who the registry lists from when: born on or before the extract month minus 59 years."""
    first = ctx.months[0]
    year, month, _ = ctx.pop.birth_ymd
    entry = (year.astype(np.int32) + 59 - first.year) * 12 + (month - first.month)
    starts = np.array([m.start for m in ctx.months])
    listed_from = np.where(entry > 0, starts[np.clip(entry, 0, len(starts) - 1)], -(2**31))
    legacy = ctx.rng(PUBLIC_SECURITY, STICKY).random(len(ctx.pop)) < ctx.rates.id_legacy15
    return Registry(entry, listed_from, legacy & (ctx.pop.id18 != b""))


def _listed(ctx: Context, reg: Registry, month: Month) -> np.ndarray:
    """Registered people listed by the end of the month (still there when they came of age)."""
    gone = np.minimum(ctx.events.death, ctx.events.moved_out)
    return (ctx.pop.kind == 0) & (reg.entry <= month.index) & (gone >= reg.listed_from)


def _during(days: np.ndarray, month: Month) -> np.ndarray:
    return (days >= month.start) & (days <= month.end)


def _changes(ctx: Context, reg: Registry, month: Month) -> tuple[np.ndarray, np.ndarray]:
    """People with a change this month and its type (死亡 > 迁出 > 新增 > 变更)."""
    ev = ctx.events
    listed = _listed(ctx, reg, month)
    kinds = np.full(len(listed), "", dtype=object)
    kinds[listed & _during(ev.transfer, month)] = "变更"
    kinds[listed & (reg.entry == month.index)] = "新增"
    kinds[listed & _during(ev.moved_out, month)] = "迁出"
    kinds[listed & _during(ev.death, month)] = "死亡"
    idx = np.flatnonzero(kinds != "")
    return idx, kinds[idx]


def _columns(ctx: Context, idx: np.ndarray, month: Month, reg: Registry, hukou) -> list:
    """The extract columns of the given people as of the end of the month."""
    pop, ev = ctx.pop, ctx.events
    comm, house = hukou[0][idx], hukou[1][idx]
    dead, gone = ev.death[idx] <= month.end, ev.moved_out[idx] <= month.end
    status = np.where(dead, "1", np.where(gone, "2", "0")).astype(object)
    changed = np.where(dead, ev.death[idx], np.where(gone, ev.moved_out[idx], NEVER))
    ids = pop.ids(idx)
    old = reg.legacy[idx]
    ids[old] = [legacy15(v) for v in ids[old]]
    return [
        ids,
        pop.names(idx),
        pop.sex[idx].astype(str).astype(object),
        _ETHNICITY[pop.ethnicity[idx]],
        ctx.dates.compact(pop.birth[idx]),
        address(ctx.regions.address_prefix, ctx.regions.comm_village, comm, house),
        ctx.regions.comm_code[comm],
        status,
        ctx.dates.compact(changed),
    ]


def _write(ctx: Context, month: Month, name: str, idx: np.ndarray, reg: Registry, kinds=None):
    target, relative = ctx.path(SOURCE, month, name)
    rng = ctx.rng(PUBLIC_SECURITY, month.index, int(kinds is None))
    hukou = ctx.events.hukou_on(ctx.pop, month.end)
    written = 0
    with target.open("w", encoding="gb18030", newline="") as f:
        out = csv.writer(f)  # csv's default line terminator is CRLF
        out.writerow(HEADER + ([] if kinds is None else ["变更类型"]))
        for lo in range(0, len(idx), _CHUNK):
            part = idx[lo : lo + _CHUNK]
            cols = _columns(ctx, part, month, reg, hukou)
            if kinds is not None:
                cols.append(kinds[lo : lo + _CHUNK])
            codes = Codes(len(part))
            codes.add(np.flatnonzero(reg.legacy[part]), "id_legacy15")
            cols[0] = corrupt(rng, cols[0], ("id_lowercase_x",), ctx.rates, codes)
            order, copy = duplicate(rng, len(part), ctx.rates.duplicate_row)
            codes = codes.take(order)
            codes.add(np.flatnonzero(copy), "duplicate_row")
            write_rows(f, out, [c[order] for c in cols], end="\r\n")
            rows = written + 1 + np.arange(len(order))
            ctx.truth.record(SOURCE, relative, rows, ctx.person_ids(part[order]), codes.text())
            written += len(order)
    ctx.truth.delivered(SOURCE, relative)


def write_month(ctx: Context, month: Month, reg: Registry) -> None:
    """A full extract in the first month and every FULL_EVERY months; deltas after the first."""
    if month.index % FULL_EVERY == 0:
        idx = np.flatnonzero(_listed(ctx, reg, month))
        comm, _ = ctx.events.hukou_on(ctx.pop, month.end)
        idx = idx[np.lexsort((idx, comm[idx]))]
        _write(ctx, month, f"rk_{month.compact}_full.csv", idx, reg)
    if month.index > 0:
        idx, kinds = _changes(ctx, reg, month)
        _write(ctx, month, f"rk_{month.compact}_delta.csv", idx, reg, kinds)
