"""Person names for comparison: normalised characters and toneless pinyin."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

MIDDLE_DOT = "·"
DOTS = re.compile(r"[·・•‧∙⋅･.．。]")
SPACES = re.compile(r"\s+")
HAN = re.compile(r"[\u3400-\u9fff]")
NOT_LETTERS = re.compile(r"[^a-z]")
# pypinyin reads these heteronyms by their common reading; as surnames they read otherwise.
SURNAMES = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou",
    "查": "zha", "朴": "piao", "盖": "ge", "乐": "yue", "翟": "zhai",
    "尉": "yu", "覃": "qin", "缪": "miao",
}  # fmt: skip


@lru_cache(maxsize=262144)
def normalise(name: str | None) -> str | None:
    """NFKC, no spaces between Han characters, one form of the minority middle dot."""
    if not isinstance(name, str) or not name.strip():
        return None
    text = unicodedata.normalize("NFKC", name).strip()
    text = DOTS.sub(MIDDLE_DOT, text).strip(MIDDLE_DOT)
    return SPACES.sub("", text) if HAN.search(text) else SPACES.sub(" ", text).upper()


@lru_cache(maxsize=262144)
def pinyin(name: str | None) -> str | None:
    """Toneless pinyin joined without spaces (ü as yu, as passports write it); Latin kept."""
    name = normalise(name)
    if not name:
        return None
    if not HAN.search(name):
        return NOT_LETTERS.sub("", name.lower()) or None
    syllables = lazy_pinyin(name.replace(MIDDLE_DOT, ""), style=Style.NORMAL)
    if name[0] in SURNAMES and len(name) > 1:
        syllables[0] = SURNAMES[name[0]]
    joined = "".join(syllables).lower().replace("v", "yu").replace("ü", "yu")
    return NOT_LETTERS.sub("", joined) or None


def one_character_apart(left: str, right: str) -> bool:
    """Same length and exactly one character differs: a typo or a homophone."""
    return len(left) == len(right) and sum(a != b for a, b in zip(left, right, strict=False)) == 1
