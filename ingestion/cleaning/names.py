"""Person names: width and whitespace normalised; the minority middle dot in one form."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MIDDLE_DOT = "·"
DOT_VARIANTS = re.compile(r"\s*[·・•‧∙⋅･.．。]\s*")
SPACES = re.compile(r"\s+")
HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=131072)
def clean_name(text: str | None) -> tuple[str | None, str | None]:
    """(normalised name, issue code)."""
    if not text or not text.strip():
        return None, "name_missing"
    name = unicodedata.normalize("NFKC", text).strip()
    name = DOT_VARIANTS.sub(MIDDLE_DOT, name).strip(MIDDLE_DOT)
    # 王 秀英 -> 王秀英; Latin names keep single spaces
    name = SPACES.sub("", name) if HAN.search(name) else SPACES.sub(" ", name)
    return name, None
