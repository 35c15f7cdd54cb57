"""民政补贴发放名册: one workbook per district per month, title, header, rows and 合计."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import subsidies
from .context import CIVIL_AFFAIRS, Context
from .defects import NAME, PHONE, TOTALS_ROW, Codes, corrupt, duplicate
from .months import Month
from .traits import ABILITY, ABILITY_LONG, HARDSHIP, IN_INSTITUTION, LIVING, phone_text
from .xlsx import Workbook

SOURCE = "civil_affairs"
HEADER = str.split(
    "序号 姓名 身份证号 性别 出生年月 街道 社区 联系电话 补贴类型 困难类型 能力等级 居住情况 "
    "发放金额（元） 发放月份 备注"
)
_KINDS = "ntttmtttttttatt"
_WIDTHS = [6, 10, 22, 5, 12, 12, 16, 16, 22, 8, 14, 14, 12, 10, 10]
ID_KINDS = str.split(
    "id_missing id_digit_typo id_transposition id_lowercase_x id_spaces id_fullwidth"
)
BIRTH_KINDS = ("birth_excel_date", "birth_year_month_dot", "birth_cn_year_month", "birth_compact")
LONG_FORM_DISTRICTS = (2, 7, 12)  # 河西, 西青, 滨海 write the long ability names
_SEX = np.array(["", "男", "女"], dtype=object)
_OBJ = {
    k: np.array(v, dtype=object)
    for k, v in (
        ("types", subsidies.TYPES),
        ("hardship", HARDSHIP),
        ("living", LIVING),
        ("ability", ABILITY),
        ("ability_long", ABILITY_LONG),
    )
}


def write_month(ctx: Context, month: Month, ghosts: np.ndarray, died: np.ndarray) -> None:
    """Every district's roster for the month, with planted two-district payments."""
    pay = subsidies.payments(ctx, month, ghosts, died)
    rng = ctx.rng(CIVIL_AFFAIRS, month.index)
    hukou, _ = ctx.events.hukou_on(ctx.pop, month.start)
    district = ctx.regions.comm_district[hukou[pay.person]].astype(np.int64)
    twice = np.flatnonzero(
        ~pay.after_death & (rng.random(len(district)) < ctx.rates.paid_in_two_districts)
    )
    other = (district[twice] + 1 + rng.integers(0, 15, twice.size)) % 16
    rows = np.concatenate([np.arange(len(district)), twice])
    district = np.concatenate([district, other])
    flag = np.concatenate([np.where(pay.after_death, 1, 0), np.full(twice.size, 2)])
    person = pay.person[rows]
    order = np.lexsort((pay.kind[rows], person, hukou[person], district))
    bounds = np.searchsorted(district[order], np.arange(17))
    staying = ctx.events.staying(month.start, month.start)
    age = ctx.pop.age(month.end)
    for d in range(16):
        sel = order[bounds[d] : bounds[d + 1]]
        r = rows[sel]
        table = Roster(person[sel], pay.kind[r], pay.fen[r], flag[sel], hukou[person[sel]])
        _roster(ctx, month, d, table, staying, age)


class Roster(NamedTuple):
    """One district's payment rows: who, which subsidy, how much, anomaly flag, community."""

    person: np.ndarray
    kind: np.ndarray
    fen: np.ndarray
    flag: np.ndarray  # 0 regular, 1 paid after death, 2 paid in a second district
    comm: np.ndarray


def _columns(ctx: Context, month: Month, d: int, table: Roster, staying, age, rng, codes):
    pop, rates = ctx.pop, ctx.rates
    person, kind, fen, _, comm = table
    new = (kind == subsidies.OLD_AGE) & (age[person] == 80)
    new &= pop.birth_ymd[1][person] == month.month  # turned 80 this month
    living = np.where(staying[person], IN_INSTITUTION, pop.living[person])
    ability = _OBJ["ability_long" if d in LONG_FORM_DISTRICTS else "ability"]
    return [
        np.arange(1, len(person) + 1).astype(str).astype(object),
        corrupt(rng, pop.names(person), NAME, rates, codes),
        corrupt(rng, pop.ids(person), ID_KINDS, rates, codes),
        _SEX[pop.sex[person]],
        corrupt(rng, ctx.dates.iso(pop.birth[person]), BIRTH_KINDS, rates, codes),
        ctx.regions.street_name[ctx.regions.comm_street[comm]],
        ctx.regions.comm_name[comm],
        corrupt(rng, phone_text(pop.phone[person], pop.landline[person]), PHONE, rates, codes),
        _OBJ["types"][kind],
        _OBJ["hardship"][pop.hardship[person]],
        ability[pop.ability[person]],
        _OBJ["living"][living],
        _yuan(fen),
        np.full(len(person), month.compact, dtype=object),
        np.where(new, "新增", "").astype(object),
    ]


def _yuan(fen: np.ndarray) -> np.ndarray:
    """Amounts as text with two decimals."""
    values, inverse = np.unique(fen, return_inverse=True)
    return np.array([f"{v / 100:.2f}" for v in values], dtype=object)[inverse]


def _roster(ctx: Context, month: Month, d: int, table: Roster, staying, age) -> None:
    name = ctx.regions.district_name[d]
    target, relative = ctx.path(
        SOURCE, month, f"{ctx.regions.district_code[d]}_{name}_{month.compact}.xlsx"
    )
    rng = ctx.rng(CIVIL_AFFAIRS, month.index, d + 1)
    person, _, fen, flag, _ = table
    codes = Codes(len(person))
    codes.add(np.flatnonzero(flag == 1), "paid_after_death")
    codes.add(np.flatnonzero(flag == 2), "paid_in_two_districts")
    columns = _columns(ctx, month, d, table, staying, age, rng, codes)
    order, copy = duplicate(rng, len(person), ctx.rates.duplicate_row)
    codes = codes.take(order)
    codes.add(np.flatnonzero(copy), "duplicate_row")
    book = Workbook(target, f"{month.compact}发放名册", _WIDTHS)
    book.row(1, [f"{name}{month.year}年{month.month}月老年人补贴发放名册"])
    book.row(2, HEADER)
    if len(order):
        book.rows(3, [c[order] for c in columns], _KINDS)
    total_row = 3 + len(order)
    book.row(total_row, ["合计"] + [None] * 11 + [float(fen[order].sum()) / 100])
    book.close()
    rows = np.arange(3, total_row + 1)
    pids = np.append(ctx.person_ids(person[order]), -1)
    ctx.truth.record(SOURCE, relative, rows, pids, np.append(codes.text(), TOTALS_ROW))
    ctx.truth.delivered(SOURCE, relative)
    for value, kind in ((1, "paid_after_death"), (2, "paid_in_two_districts")):
        hit = np.flatnonzero(flag[order] == value)
        ctx.truth.anomalies(kind, pids[hit], month.label, relative, rows[hit])
