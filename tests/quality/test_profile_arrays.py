"""Arrays.read: hand-made profiles written to linkage.profiles and read back as the comparisons'
arrays, field by field against what each profile says; read in one piece and in chunks of two.
Written and rolled back in one transaction, so the linkage tables other tests read are
untouched."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from quality.linkage import profiles as profile_module
from quality.linkage.compare import Arrays
from quality.linkage.grouping import applicant_groups
from quality.linkage.profiles import COLUMNS, Profiles, write_profiles
from quality.linkage.score import _name_share
from warehouse.connection import connect

VALID = "120101194903050021"
ODD_TEXT = "a\x1fb\t'\"\\c"  # a unit separator, a tab, quotes and a backslash


def _profile(profile_id, **values):
    values = {"role": "elder", "masked": False, **values, "profile_id": profile_id}
    return tuple(values.get(column) for column in COLUMNS)


PROFILES = [
    _profile(1, id_number=VALID, id_valid=True, name="王秀英", pinyin="wangxiuying",
             born=date(1949, 3, 5), born_alt=date(1949, 5, 3), precision="day",
             birth_date=date(1949, 3, 5), sex_any=2, district_code="120101",
             street_code="120101001", community_code="120101001001", phone="13812345678"),
    # the same name and place, the birth date only from the ID number, which is masked
    _profile(2, id_number="1201011949******21", id_valid=True, masked=True, name="王秀英",
             pinyin="wangxiuying", born=date(1949, 3, 5), precision="day", sex_any=0,
             district_code="120101", street_code="120101001", community_code="120101001001"),
    # known to the month; a 15-character number (not compared); a passport
    _profile(3, id_number="120101490305002", name="阿依古丽·买买提", pinyin="ayiguli·maimaiti",
             born=date(1950, 7, 1), precision="month", birth_date=date(1950, 7, 1), sex_any=1,
             doc="护照:E12345678", district_code="120102", phone="022-23456789"),
    # nothing known but an empty name and text a CSV or a separator would mangle
    _profile(4, name="", pinyin="", phone=ODD_TEXT),
    # agents: two with the same name and phone, one with neither, one alone
    _profile(5, role="applicant", name="李明", pinyin="liming", phone="13900000000"),
    _profile(6, role="applicant", name="李明", pinyin="liming", phone="13900000000"),
    _profile(7, role="applicant"),
    _profile(8, role="applicant", name="李明", pinyin="liming"),
    _profile(9, role="applicant", pinyin=ODD_TEXT),
    _profile(10, name="王秀英", pinyin="wangxiuying", born=date(1899, 12, 31), precision="day",
             birth_date=date(1899, 12, 31), district_code="120101"),
]  # fmt: skip


def _read(settings, profiles=PROFILES, chunk=None, monkeypatch=None) -> Arrays:
    if chunk:
        monkeypatch.setattr(profile_module, "READ_CHUNK", chunk)
    frame = pd.DataFrame([(0,) + (None,) * (len(COLUMNS) - 1), *profiles], columns=COLUMNS)
    with connect(settings) as conn:
        write_profiles(conn, Profiles(frame.astype(object).where(frame.notna(), None)))
        arrays = Arrays.read(conn)
        conn.rollback()
    return arrays


@pytest.fixture(scope="module")
def arrays(settings):
    return _read(settings)


def _same_partition(codes, values):
    """codes are 0 exactly where values are missing, and equal exactly where values are."""
    for i, a in enumerate(values):
        assert (codes[i] == 0) == (a is None or a == ""), (i, a)
        for j, b in enumerate(values):
            if codes[i] and codes[j]:
                assert (codes[i] == codes[j]) == (a == b), (i, j)


def test_every_field_reads_back_as_the_profile_says(arrays):
    column = {name: [None] + [p[COLUMNS.index(name)] for p in PROFILES] for name in COLUMNS}
    assert len(arrays) == len(PROFILES)
    assert arrays.elder.tolist() == [role == "elder" for role in column["role"]]
    assert arrays.applicant.tolist() == [role == "applicant" for role in column["role"]]
    born = [d.toordinal() if d else 0 for d in column["born"]]
    assert arrays.born.tolist() == born
    assert arrays.born_alt.tolist() == [d.toordinal() if d else 0 for d in column["born_alt"]]
    assert arrays.year_month.tolist() == [
        d.year * 100 + d.month if d else 0 for d in column["born"]
    ]
    assert arrays.born_from_id.tolist() == [False, False, True, False, False] + [False] * 6
    assert arrays.month_precision.tolist() == [p == "month" for p in column["precision"]]
    assert arrays.sex.tolist() == [s or 0 for s in column["sex_any"]]
    assert arrays.masked.tolist() == [bool(m) for m in column["masked"]]
    assert arrays.id_valid.tolist() == [False, True, False] + [False] * 8  # masked is not valid
    eighteen = [n if n and len(n) == 18 else "" for n in column["id_number"]]
    assert arrays.id_text.tolist() == eighteen
    assert bytes(arrays.id_bytes[2]) == b"1201011949******21"
    assert not arrays.id_bytes[3].any()  # the 15-character number is not compared
    assert arrays.name.tolist() == [n or "" for n in column["name"]]
    assert arrays.pinyin.tolist() == [n or "" for n in column["pinyin"]]
    for codes, name in [
        (arrays.id_code, "id_number"), (arrays.doc, "doc"), (arrays.name_code, "name"),
        (arrays.pinyin_code, "pinyin"), (arrays.district, "district_code"),
        (arrays.street, "street_code"), (arrays.community, "community_code"),
        (arrays.phone, "phone"),
    ]:  # fmt: skip
        values = eighteen if name == "id_number" else column[name]
        _same_partition(codes.tolist(), values)
    assert arrays.pinyin[9] == ODD_TEXT


def test_reading_in_chunks_gives_the_same_arrays(arrays, settings, monkeypatch):
    chunked = _read(settings, chunk=3, monkeypatch=monkeypatch)
    for name, values in vars(arrays).items():
        assert np.array_equal(getattr(chunked, name), values), name


def test_agents_group_on_name_and_phone_and_names_count_among_elders(arrays):
    same, labelled = applicant_groups(arrays)
    assert sorted(same) == [(5, 6), (7, 9)]
    assert set(labelled) == {5, 6, 7, 9}
    share = _name_share(arrays)  # named elders: 1, 2, 3 and 10 (4's name is empty)
    assert share[1] == share[2] == share[10] == pytest.approx(3 / 4)
    assert share[3] == pytest.approx(1 / 4)
    assert share[4] == share[5] == pytest.approx(1 / 4)  # no elder name: counted once


def test_profiles_not_numbered_one_to_n_are_refused(settings):
    with pytest.raises(RuntimeError, match=r"not numbered 1\.\.n"):
        _read(settings, [PROFILES[0], _profile(3, name="王秀英")])
