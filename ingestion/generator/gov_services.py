"""政务服务平台老年人事项申办记录: one UTF-8 (BOM) CSV per month of applications."""

from __future__ import annotations

import csv
from functools import cache

import numpy as np

from .agents import Agents
from .context import GOV_SERVICES, Context
from .defects import NAME, PHONE, Codes, corrupt, duplicate
from .id_numbers import DOC_TYPES
from .lines import write_rows
from .months import Month
from .places import address
from .traits import phone_text

SOURCE = "gov_services"
HEADER = str.split(
    "办件编号 事项名称 申请人姓名 申请人联系电话 老年人姓名 老年人证件类型 老年人证件号码 "
    "现居住地址 申请时间 办结时间 办理结果"
)
ITEMS = np.array(
    str.split(
        "老年人优待证办理 高龄津贴申领 居家养老服务补贴申请 老年人能力评估申请 养老机构入住登记"
    ),
    dtype=object,
)
_ITEM_P = (0.3, 0.15, 0.2, 0.25, 0.1)
CASES_PER_ELDER_MONTH = 0.012
AGENT_SHARE = 0.4
ID_KINDS = ("id_digit_typo", "id_transposition", "id_lowercase_x")
_DAY = 86400


@cache
def _clock() -> np.ndarray:
    """HH:MM:SS for every second of a day."""
    s = np.arange(_DAY)
    return np.array(
        [
            f"{h:02d}:{m:02d}:{x:02d}"
            for h, m, x in zip(s // 3600, s // 60 % 60, s % 60, strict=True)
        ],
        dtype=object,
    )


def _stamp(ctx: Context, seconds: np.ndarray) -> np.ndarray:
    """YYYY-MM-DD HH:MM:SS of seconds since 1970."""
    return ctx.dates.iso(seconds // _DAY) + " " + _clock()[seconds % _DAY]


def _cases(ctx: Context, month: Month, rng: np.random.Generator):
    """Elders with a case this month, the item, and when it was filed and closed."""
    pop, ev = ctx.pop, ctx.events
    age = pop.age(month.start)
    eligible = np.flatnonzero((age >= 60) & ev.alive_on(month.end) & ev.in_tianjin_on(month.end))
    k = rng.poisson(CASES_PER_ELDER_MONTH * eligible.size) if eligible.size else 0
    elder = rng.choice(eligible, size=k) if k else np.empty(0, dtype=np.int64)
    item = rng.choice(len(ITEMS), size=k, p=_ITEM_P)
    item[(item == 1) & (age[elder] < 79)] = 0
    days = month.end - month.start + 1
    filed = (month.start + rng.integers(0, days, k)) * _DAY + rng.integers(8 * 3600, 18 * 3600, k)
    order = np.argsort(filed, kind="stable")
    refused = rng.random(k) < 0.05
    closed = filed[order] + np.where(
        refused, rng.integers(3600, 3 * _DAY, k), rng.integers(2 * 3600, 20 * _DAY, k)
    )
    pending = ~refused & (closed >= (month.end + 1) * _DAY)
    return elder[order], item[order], filed[order], closed, refused, pending


def write_month(ctx: Context, month: Month, agents: Agents) -> None:
    """The month's applications, about 40% of them filed by a son or daughter."""
    pop = ctx.pop
    rng = ctx.rng(GOV_SERVICES, month.index)
    elder, item, filed, closed, refused, pending = _cases(ctx, month, rng)
    k = len(elder)
    by_agent = np.flatnonzero(rng.random(k) < AGENT_SHARE)
    agent = np.full(k, -1, dtype=np.int64)
    agent[by_agent] = agents.for_elders(elder[by_agent])
    codes = Codes(k)
    elder_name = corrupt(rng, pop.names(elder), NAME, ctx.rates, codes)
    applicant = elder_name.copy()
    applicant[by_agent] = agents.names(agent[by_agent])
    phone = phone_text(pop.phone[elder], pop.landline[elder])
    phone[by_agent] = phone_text(agents.phones(agent[by_agent]), np.zeros(by_agent.size, bool))
    has_id = pop.doc_type[elder] == 0
    number = np.where(has_id, pop.ids(elder), pop.doc_number[elder])
    comm, house = ctx.events.residence_on(pop, month.end)
    hukou, hukou_house = ctx.events.hukou_on(pop, month.end)
    away = comm[elder] < 0
    comm, house = (
        np.where(away, hukou[elder], comm[elder]),
        np.where(away, hukou_house[elder], house[elder]),
    )
    columns = [
        "TJSB"
        + ctx.dates.compact(filed // _DAY)
        + np.array([f"{n:06d}" for n in range(1, k + 1)], dtype=object),  # k may be 0
        ITEMS[item],
        applicant,
        corrupt(rng, phone, PHONE, ctx.rates, codes),
        elder_name,
        np.array(DOC_TYPES, dtype=object)[pop.doc_type[elder]],
        corrupt(rng, number, ID_KINDS, ctx.rates, codes, only=has_id),
        address(ctx.regions.address_prefix, ctx.regions.comm_village, comm, house),
        _stamp(ctx, filed),
        np.where(pending, "", _stamp(ctx, closed)),
        np.where(refused, "不予受理", np.where(pending, "受理中", "办结")).astype(object),
    ]
    applicants = np.where(agent >= 0, agents.person_ids(agent), -1)
    _write(ctx, month, columns, codes, elder, applicants, rng)


def _write(ctx: Context, month: Month, columns, codes, elder, applicants, rng) -> None:
    name = f"sb_{ctx.dates.compact([month.start])[0]}_{ctx.dates.compact([month.end])[0]}.csv"
    target, relative = ctx.path(SOURCE, month, name)
    order, copy = duplicate(rng, len(elder), ctx.rates.duplicate_row)
    codes = codes.take(order)
    codes.add(np.flatnonzero(copy), "duplicate_row")
    with target.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        write_rows(f, out, [np.asarray(c, dtype=object)[order] for c in columns], end="\r\n")
    ctx.truth.record(
        SOURCE,
        relative,
        np.arange(1, len(order) + 1),
        ctx.person_ids(elder[order]),
        codes.text(),
        applicants[order],
    )
    ctx.truth.delivered(SOURCE, relative)
