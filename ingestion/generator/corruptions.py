"""Value-level defects: each takes a few values and returns them changed, or SKIP."""

from __future__ import annotations

import datetime as dt

import numpy as np

SKIP = object()
# Groups of characters read alike in toneless pinyin (checked by the tests with pypinyin).
_HOMOPHONE_GROUPS = str.split(
    "张章 王汪 英瑛莹 兰岚蓝 华桦 李黎丽 刘柳 杨阳 吴伍 徐许 林琳霖 芳方 红虹宏 萍平 玲凌 静靖 "
    "明鸣 军君 伟玮 国郭 志智 云芸 珍贞 凤风 秀绣 玉钰 梅玫 桂贵 淑叔 荣蓉 文雯 建健 春纯 成诚 "
    "周洲 胡湖 朱珠 梁良 郑正 韩寒 袁元 钟忠 姜江 邱秋 霞侠 清青 生升 祥翔 利力 连莲 峰锋 东冬 "
    "斌彬 刚钢 宇雨 燕艳 琴芹"
)
HOMOPHONES = {ch: group.replace(ch, "") for group in _HOMOPHONE_GROUPS for ch in group}
# Characters mistaken for one another by eye (徳 is a variant form of 德).
_LOOKALIKE_PAIRS = str.split(
    "王玉 秀季 英荚 淑椒 桂柱 珍诊 明朋 国囯 华毕 德徳 梅海 云去 春舂 林材 宝室"
)
LOOKALIKES = {p[0]: p[1] for p in _LOOKALIKE_PAIRS} | {p[1]: p[0] for p in _LOOKALIKE_PAIRS}
_COMMON = "秀英兰华玉珍桂凤淑芳明国志德建军文春海林山宝荣云梅红丽"
_FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _at(rng: np.random.Generator, n: int) -> int:
    return int(rng.integers(n))


def name_typo(rng, values):
    """One character replaced by a look-alike or another common name character."""
    out = []
    for name in values:
        spots = [i for i, ch in enumerate(name) if ch != "·"]
        if "·" not in name and len(name) > 1 and rng.random() < 0.8:
            spots = spots[1:]  # mostly in the given name
        i = spots[_at(rng, len(spots))]
        others = _COMMON.replace(name[i], "")
        new = LOOKALIKES.get(name[i]) or others[_at(rng, len(others))]
        out.append(name[:i] + new + name[i + 1 :])
    return out


def name_homophone(rng, values):
    """One character replaced by one that sounds the same (张→章, 英→瑛)."""
    out = []
    for name in values:
        spots = [i for i, ch in enumerate(name) if ch in HOMOPHONES]
        if not spots:
            out.append(SKIP)
            continue
        i = spots[_at(rng, len(spots))]
        alike = HOMOPHONES[name[i]]
        out.append(name[:i] + alike[_at(rng, len(alike))] + name[i + 1 :])
    return out


def missing(rng, values):
    """The value left blank."""
    return [""] * len(values)


def id_masked(rng, values):
    """Middle eight digits hidden: 120104********1234."""
    return [v[:6] + "*" * 8 + v[14:] if len(v) == 18 else SKIP for v in values]


def id_legacy15(rng, values):
    """The old 15-digit form: no century, no check character."""
    return [v[:6] + v[8:17] if len(v) == 18 else SKIP for v in values]


def id_digit_typo(rng, values):
    """One of the first 17 digits mistyped."""
    out = []
    for v in values:
        i = _at(rng, min(17, len(v)))
        if not v[i].isdigit():
            out.append(SKIP)
            continue
        digit = str((int(v[i]) + 1 + _at(rng, 9)) % 10)
        out.append(v[:i] + digit + v[i + 1 :])
    return out


def id_transposition(rng, values):
    """Two neighbouring digits among the first 17 swapped."""
    out = []
    for v in values:
        spots = [i for i in range(min(16, len(v) - 1)) if v[i] != v[i + 1]]
        if not spots:
            out.append(SKIP)
            continue
        i = spots[_at(rng, len(spots))]
        out.append(v[:i] + v[i + 1] + v[i] + v[i + 2 :])
    return out


def id_lowercase_x(rng, values):
    """A check character X written as x."""
    return [v[:-1] + "x" if v.endswith("X") else SKIP for v in values]


def id_spaces(rng, values):
    """Spaces typed inside the number: grouped 6-8-4, or one stray space."""
    out = []
    for v in values:
        if rng.random() < 0.5 and len(v) == 18:
            out.append(f"{v[:6]} {v[6:14]} {v[14:]}")
        else:
            i = 1 + _at(rng, len(v) - 1)
            out.append(v[:i] + " " + v[i:])
    return out


def id_fullwidth(rng, values):
    """Digits typed in full width (０-９)."""
    return [v.translate(_FULLWIDTH) for v in values]


def month_day_swap(rng, values):
    """Month and day swapped (YYYY-DD-MM), where that still looks like a date."""
    out = []
    for v in values:
        y, m, d = v.split("-")
        out.append(f"{y}-{d}-{m}" if int(d) <= 12 and d != m else SKIP)
    return out


def year_month_dot(rng, values):
    """Year and month with a dot: 1942.03"""
    return [v[:4] + "." + v[5:7] for v in values]


def cn_year_month(rng, values):
    """Year and month in Chinese: 1942年3月"""
    return [f"{v[:4]}年{int(v[5:7])}月" for v in values]


def compact_date(rng, values):
    """Eight digits without separators: 19420305"""
    return [v.replace("-", "") for v in values]


def excel_date(rng, values):
    """A real Excel date cell: a serial number with a date format."""
    # An int tells the workbook writer to write a date cell.
    return [(dt.date.fromisoformat(v) - _EXCEL_EPOCH).days for v in values]


def _split_phone(v: str) -> tuple[str, str]:
    return ("22", v[4:]) if v.startswith("022-") else ("", v)


def phone_plus86(rng, values):
    """+86 in front: +8613812345678, +86 138…, +86-22-…"""
    out = []
    for v in values:
        area, rest = _split_phone(v)
        out.append(f"+86-{area}-{rest}" if area else ("+86" + " " * _at(rng, 2) + rest))
    return out


def phone_86_prefix(rng, values):
    """86 in front without the plus."""
    return [f"86-22-{r}" if a else "86" + r for a, r in map(_split_phone, values)]


def phone_spaces(rng, values):
    """138 1234 5678 or 022 2345 6789"""
    return [
        f"022 {r[:4]} {r[4:]}" if a else f"{r[:3]} {r[3:7]} {r[7:]}"
        for a, r in map(_split_phone, values)
    ]


def phone_dashes(rng, values):
    """138-1234-5678 or 022-2345-6789"""
    return [
        f"022-{r[:4]}-{r[4:]}" if a else f"{r[:3]}-{r[3:7]}-{r[7:]}"
        for a, r in map(_split_phone, values)
    ]
