"""Eldercare institutions (养老机构) with valid unified social credit codes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from stdnum.cn import uscc

from .regions import Regions

_WORDS = str.split(
    "康宁 颐和 福寿 安康 松鹤 夕阳红 长寿 瑞康 乐康 祥和 泰康 怡园 温馨 慈爱 同福 仁爱 寿康 "
    "椿萱 鹤龄 金色年华 万福 福乐 康乐 晚晴 颐年 爱晚 和睦 常青 百岁 恒康"
)
_KINDS = ("养老院", "老年公寓", "颐养中心", "护理院", "养老中心", "敬老院")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class Institutions:
    """One row per institution."""

    code: list[str]
    name: list[str]
    district: np.ndarray
    latin_gender: np.ndarray
    weight: np.ndarray


def count_for(elders: int) -> int:
    """A few dozen for a demo, about 430 at Tianjin's scale (its real count is around 400)."""
    return 30 + elders // 8000


def _org_code(body: str) -> str:
    """GB 11714 organisation code: eight digits and their check character."""
    c = 11 - sum(int(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return body + ("X" if c == 10 else "0" if c == 11 else str(c))


def credit_code(district_code: str, body: str) -> str:
    """Unified social credit code of a 民政-registered social service organisation (52…)."""
    first17 = "52" + district_code + _org_code(body)
    return first17 + uscc.calc_check_digit(first17)


def build_institutions(rng: np.random.Generator, regions: Regions, elders: int) -> Institutions:
    """Institutions spread over districts by elder population, with uneven sizes."""
    n = count_for(elders)
    p = regions.district_weight / regions.district_weight.sum()
    district = np.sort(rng.choice(len(p), size=n, p=p)).astype(np.int16)
    codes: list[str] = []
    labels: list[str] = []
    seen: set[str] = set()
    bodies = rng.choice(10**7, size=n, replace=False)
    for d, body in zip(district, bodies, strict=True):
        code = credit_code(regions.district_code[d], f"5{body:07d}")
        while True:
            word = _WORDS[int(rng.integers(len(_WORDS)))]
            label = f"天津市{regions.district_name[d]}{word}{_KINDS[int(rng.integers(6))]}"
            if label not in seen:
                break
        seen.add(label)
        codes.append(code)
        labels.append(label)
    return Institutions(
        code=codes,
        name=labels,
        district=district,
        latin_gender=rng.random(n) < 0.15,
        weight=rng.lognormal(0, 0.8, n),
    )
