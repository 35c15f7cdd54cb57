"""Phone numbers: mobiles as 11 digits, landlines as <area>-<number> (Tianjin is 022)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

NOISE = re.compile(r"[\s\-()（）]+")
COUNTRY = re.compile(r"^(\+?86|0086)(?=1[3-9]\d{9}$|0?\d{9,11}$)")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
TIANJIN_LOCAL = re.compile(r"^[2-9]\d{7}$")
LANDLINE = re.compile(r"^(0[12]\d|0[3-9]\d{2})(\d{7,8})$")  # 010, 02x: three digits


@lru_cache(maxsize=65536)
def clean_phone(text: str | None) -> tuple[str | None, str | None]:
    """(normalised number, issue code)."""
    if not text or not text.strip():
        return None, "phone_missing"
    digits = NOISE.sub("", unicodedata.normalize("NFKC", text))
    digits = COUNTRY.sub("", digits)
    if MOBILE.match(digits):
        return digits, None
    if digits.startswith("22") and len(digits) == 10:
        digits = "0" + digits  # 86-22-xxxxxxxx arrives without the trunk 0
    if TIANJIN_LOCAL.match(digits):
        return f"022-{digits}", None
    landline = LANDLINE.match(digits)
    if landline:
        return f"{landline[1]}-{landline[2]}", None
    return digits, "phone_invalid"
