"""Blocking passes on a handful of hand-made profiles: which pass pairs whom, and what the caps
and a new month's boundary leave out. Built and rolled back in one transaction, so the
linkage tables other tests read are untouched."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from quality.linkage.blocking import PASS_BITS, build_pairs
from quality.linkage.profiles import COLUMNS, Profiles, write_profiles
from warehouse.connection import connect


def _profile(profile_id, name, pinyin, born, precision="day", district="120101", role="elder"):
    swapped = None
    if born and precision == "day" and born.day <= 12 and born.day != born.month:
        swapped = born.replace(month=born.day, day=born.month)
    values = {"profile_id": profile_id, "role": role, "name": name, "pinyin": pinyin,
              "born": born, "born_alt": swapped, "precision": precision,
              "district_code": district, "masked": False}  # fmt: skip
    return tuple(values.get(column) for column in COLUMNS)


WANG = "wangxiuying"
PROFILES = [
    _profile(1, "王秀英", WANG, date(1950, 3, 5)),
    _profile(2, "王秀英", WANG, date(1950, 5, 3), district="120102"),  # month and day swapped
    _profile(3, "汪秀英", WANG, date(1950, 3, 5), district="120103"),  # a homophone
    _profile(4, "王秀英", WANG, date(1950, 3, 1), "month", "120104"),  # known to the month
    _profile(5, "王秀英", WANG, date(1950, 3, 5), role="applicant"),  # an agent
    # the same name, birth year and district: three people, and a block past its cap of 5
    *[_profile(10 + k, "李淑珍", "lishuzhen", date(1949, 1, 13 + k), district="120106")
      for k in range(3)],
    *[_profile(20 + k, "张桂兰", "zhangguilan", date(1948, 1, 13 + k), district="120105")
      for k in range(8)],
]  # fmt: skip


def _pairs(settings, newer_than=0):
    """{(left, right): {pass names}} from build_pairs on PROFILES, then rolled back."""
    frame = pd.DataFrame([(0,) + (None,) * (len(COLUMNS) - 1), *PROFILES], columns=COLUMNS)
    with connect(settings) as conn:
        write_profiles(conn, Profiles(frame.astype(object).where(frame.notna(), None)))
        counts = build_pairs(conn, settings.linkage, newer_than, table="test_pairs")
        rows = conn.execute("select left_id, right_id, passes from linkage.test_pairs").fetchall()
        conn.rollback()
    by_pair = {
        (left, right): {name for name, bit in PASS_BITS.items() if passes & bit}
        for left, right, passes in rows
    }
    return by_pair, counts


@pytest.fixture(scope="module")
def pairs(settings):
    return _pairs(settings)


def _passes_with(by_pair, name):
    return {pair for pair, names in by_pair.items() if name in names}


def test_pinyin_and_birth_date_pairs_homophones_only_on_the_same_date(pairs):
    by_pair, _ = pairs
    assert _passes_with(by_pair, "pinyin_birth_date") >= {(1, 3)}
    assert not _passes_with(by_pair, "pinyin_birth_date") & {(1, 2), (2, 3), (1, 4)}


def test_a_swapped_birth_date_meets_the_date_it_swaps(pairs):
    by_pair, _ = pairs
    assert _passes_with(by_pair, "pinyin_swapped_birth") == {(1, 2), (2, 3)}


def test_a_birth_month_meets_the_dates_in_that_month_only(pairs):
    by_pair, _ = pairs
    assert _passes_with(by_pair, "pinyin_birth_month") == {(1, 4), (3, 4)}


def test_agents_are_never_paired(pairs):
    by_pair, _ = pairs
    assert not [pair for pair in by_pair if 5 in pair]


def test_a_block_past_its_cap_is_skipped_and_a_small_one_kept(pairs, settings):
    by_pair, counts = pairs
    same_name = _passes_with(by_pair, "name_birth_year_district")
    assert same_name == {(10, 11), (10, 12), (11, 12)}
    assert counts["name_birth_year_district"] == 3
    assert settings.linkage.max_block_size > 8  # the pass's own cap of 5 skipped the 8


@pytest.mark.parametrize("newer_than", [3, 11, 24])
def test_a_new_month_finds_the_full_runs_pairs_that_hold_a_new_profile(pairs, settings, newer_than):
    """A new month forms only the blocks its profiles' keys name, with their full sizes, so
    it finds exactly the full run's pairs that hold a new profile (caps included)."""
    by_pair, _ = pairs
    new_month, _ = _pairs(settings, newer_than=newer_than)
    assert new_month == {pair: names for pair, names in by_pair.items() if pair[1] > newer_than}
    assert "pinyin_birth_month" in new_month.get((1, 4), set()) or newer_than >= 4
