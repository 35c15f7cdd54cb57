"""Resident ID numbers (GB 11643-1999), validated with python-stdnum; never "corrected"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric

SEPARATORS = re.compile(r"[\s\-_]+")
EIGHTEEN = re.compile(r"^\d{17}[\dX]$")
FIFTEEN = re.compile(r"^\d{15}$")
MASKED = re.compile(r"^[\dX*]{15,18}$")


@dataclass(frozen=True, slots=True)
class CleanId:
    """A cleaned ID number: the 18-character form (even when invalid), validity and why not."""

    number: str | None
    is_valid: bool
    issue: str | None
    birth_date: date | None = None
    sex: int | None = None  # 1 male, 2 female: the 17th character's parity


def normalise(text: str | None) -> str:
    """Full-width to half-width, separators removed, x upper-cased."""
    if not text:
        return ""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


@lru_cache(maxsize=4096)
def _known_place(prefix: str) -> bool:
    """The prefix names a division of any period: it records where the number was first
    issued, so a 1967-born person may carry 120116 (滨海新区, created in 2009). stdnum's own
    check wants the division to exist in the birth year, which refuses such numbers."""
    return bool(numdb.get("cn/loc").info(prefix)[0][1])


@lru_cache(maxsize=65536)
def _birth_date(digits: str) -> date | None:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def from_fifteen(number: str) -> str:
    """A legacy 15-digit number in 18-digit form: century 19 inserted, check character computed."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "?")  # stdnum skips the check position


def clean_id_number(text: str | None) -> CleanId:
    """Validate the check character, birth date and issuing place of a delivered number."""
    number = normalise(text)
    if not number:
        return CleanId(None, False, "id_missing")
    issue = None
    if FIFTEEN.match(number):
        number, issue = from_fifteen(number), "id_converted_from_15"
    elif "*" in number:
        kind = "id_masked" if MASKED.match(number) else "id_malformed"
        return CleanId(number, False, kind)
    if not EIGHTEEN.match(number):
        return CleanId(number, False, "id_malformed")
    if ric.calc_check_digit(number) != number[17]:
        return CleanId(number, False, "id_checksum_invalid")
    born = _birth_date(number[6:14])
    if born is None:
        return CleanId(number, False, "id_birth_date_invalid")
    if not _known_place(number[:6]):
        issue = issue or "id_place_unknown"
    return CleanId(number, True, issue, born, 1 if int(number[16]) % 2 else 2)
