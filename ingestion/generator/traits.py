"""Ability level, hardship, living situation and phone numbers, drawn by age."""

from __future__ import annotations

import numpy as np

ABILITY = ("能力完好", "轻度失能", "中度失能", "重度失能", "完全失能")
ABILITY_LONG = ("能力完好", "能力轻度受损", "能力中度受损", "能力重度受损", "能力完全丧失")
HARDSHIP = ("无", "低保", "特困", "低收入")
LIVING = ("独居", "空巢", "与子女同住", "与其他亲属同住", "入住机构")
IN_INSTITUTION = 4
_ABILITY_CUTS = np.array([1.2, 1.7, 2.1, 2.5])
_MOBILE_HEADS = np.array(
    str.split(
        "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 158 159 176 177 180 181 186 "
        "187 188 189 198"
    ),
    dtype=np.int64,
)
_LANDLINE_HEADS = np.array([2, 5, 6, 8])


def ability(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """GB/T 42195 level index (0 能力完好 … 4 完全失能), an ordered draw that worsens with age."""
    latent = rng.standard_normal(len(age)) + 0.035 * np.clip(age - 60, 0, None)
    return np.searchsorted(_ABILITY_CUTS, latent).astype(np.int8)


def hardship(rng: np.random.Generator, rural: np.ndarray) -> np.ndarray:
    """Hardship index into HARDSHIP; rural districts have more 低保 and 低收入."""
    scale = np.where(rural, 1.5, 1.0)
    u = rng.random(len(rural))
    cuts = np.cumsum([0.035, 0.006, 0.03])
    out = np.zeros(len(rural), dtype=np.int8)
    out[u < cuts[2] * scale] = 3
    out[u < cuts[1] * scale] = 2
    out[u < cuts[0] * scale] = 1
    return out


def living(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    """Living situation at home (0..3); 入住机构 comes from institution stays."""
    older = np.clip(age - 60, 0, 40)
    alone = np.clip(0.08 + 0.005 * older, 0, 0.35)
    with_children = np.clip(0.28 + 0.005 * older, 0, 0.5)
    relatives = np.full(len(age), 0.06)
    u = rng.random(len(age))
    out = np.ones(len(age), dtype=np.int8)
    out[u < alone + with_children + relatives] = 3
    out[u < alone + with_children] = 2
    out[u < alone] = 0
    return out


def mobiles(rng: np.random.Generator, size: int) -> np.ndarray:
    """Mobile numbers 1[3-9]x xxxx xxxx as integers."""
    return rng.choice(_MOBILE_HEADS, size) * 10**8 + rng.integers(0, 10**8, size)


def phones(rng: np.random.Generator, age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Own phone per person and whether it is a Tianjin landline (older people keep landlines)."""
    landline = rng.random(len(age)) < np.clip(0.1 + 0.01 * (age - 60), 0.05, 0.6)
    number = mobiles(rng, len(age))
    fixed = rng.choice(_LANDLINE_HEADS, len(age)) * 10**7 + rng.integers(0, 10**7, len(age))
    return np.where(landline, fixed, number), landline


def phone_text(number: np.ndarray, landline: np.ndarray) -> np.ndarray:
    """022-xxxxxxxx for landlines, 11 digits for mobiles."""
    text = np.array(list(map(str, number.tolist())), dtype=object)
    text[landline] = "022-" + text[landline]
    return text
