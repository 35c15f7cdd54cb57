"""The sample-feed generator: contract layout, formats, truth locators, defects, determinism."""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from pypinyin import lazy_pinyin
from python_calamine import CalamineWorkbook
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent

from ingestion.generator import DefectRates, generate
from ingestion.generator.corruptions import HOMOPHONES
from ingestion.generator.months import month_range
from ingestion.generator.population import build_population
from ingestion.generator.regions import build_regions

# From feeds/CONTRACTS.md, typed out here so the test does not trust the generator's tables.
DISTRICTS = [
    ("120101", "和平区"), ("120102", "河东区"), ("120103", "河西区"), ("120104", "南开区"),
    ("120105", "河北区"), ("120106", "红桥区"), ("120110", "东丽区"), ("120111", "西青区"),
    ("120112", "津南区"), ("120113", "北辰区"), ("120114", "武清区"), ("120115", "宝坻区"),
    ("120116", "滨海新区"), ("120117", "宁河区"), ("120118", "静海区"), ("120119", "蓟州区"),
]  # fmt: skip
PS_HEADER = str.split(
    "公民身份号码 姓名 性别 民族 出生日期 户籍地址 户籍地区划代码 人员状态 状态变更日期"
)
ROSTER_HEADER = str.split(
    "序号 姓名 身份证号 性别 出生年月 街道 社区 联系电话 补贴类型 困难类型 能力等级 居住情况 "
    "发放金额（元） 发放月份 备注"
)
GOV_HEADER = str.split(
    "办件编号 事项名称 申请人姓名 申请人联系电话 老年人姓名 老年人证件类型 老年人证件号码 "
    "现居住地址 申请时间 办结时间 办理结果"
)
FIELDS = {  # where each source puts the name, ID, birth date and phone
    "public_security": ("姓名", "公民身份号码", "出生日期", None),
    "civil_affairs": ("姓名", "身份证号", "出生年月", "联系电话"),
    "institutions": ("resident_name", "id_number", "birth_date", "contact_phone"),
    "gov_services": ("老年人姓名", "老年人证件号码", None, "申请人联系电话"),
}
MONTHS = ("2024-10", "2025-10")  # 13 months: a second full extract in the last one
LEGACY_COUNTIES = {"120221", "120222", "120223", "120224", "120225"}


class World:
    """A generated landing folder and its truth, read back through public formats only."""

    def __init__(self, root: Path, **kwargs) -> None:
        self.landing, self.truth = root / "landing", root / "truth"
        self.summary = generate(self.landing, self.truth, **kwargs)
        self.records = _csv(self.truth / "records.csv")
        self.persons = {p["person_id"]: p for p in _csv(self.truth / "persons.csv")}
        self.anomalies = _csv(self.truth / "anomalies.csv")

    @cache  # noqa: B019 (a handful of worlds per session)
    def rows(self, source_file: str) -> dict[int, object]:
        """Delivered rows of one file by the contract's locator."""
        path = self.landing / source_file
        if path.suffix == ".xlsx":
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            return {r + 1: dict(zip(sheet[1], sheet[r], strict=True)) for r in range(2, len(sheet))}
        if path.suffix == ".jsonl":
            lines = path.read_text(encoding="utf-8").splitlines()
            return {i + 1: json.loads(line) for i, line in enumerate(lines)}
        encoding = "gb18030" if "public_security" in source_file else "utf-8-sig"
        with path.open(encoding=encoding, newline="") as f:
            return {i + 1: row for i, row in enumerate(csv.DictReader(f))}


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[2:] if phone.lstrip().startswith(("+86", "86")) else digits.lstrip("0")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    rates = replace(DefectRates(), paid_after_death=0.5, paid_in_two_districts=0.01)
    return World(tmp_path_factory.mktemp("world"), elders=3000, months=MONTHS, seed=7,
                 defects=rates)  # fmt: skip


def test_landing_files_are_named_as_the_contract_says(world: World) -> None:
    labels = [m.label for m in month_range(*MONTHS)]
    for i, label in enumerate(labels):
        ym, (y, m) = label.replace("-", ""), map(int, label.split("-"))
        ps = sorted(p.name for p in (world.landing / "public_security" / label).iterdir())
        full = [f"rk_{ym}_full.csv"] if i % 12 == 0 else []
        assert ps == sorted(full + ([f"rk_{ym}_delta.csv"] if i else []))
        rosters = sorted(p.name for p in (world.landing / "civil_affairs" / label).iterdir())
        assert rosters == sorted(f"{code}_{name}_{ym}.xlsx" for code, name in DISTRICTS)
        last = calendar.monthrange(y, m)[1]
        gov = [p.name for p in (world.landing / "gov_services" / label).iterdir()]
        assert gov == [f"sb_{ym}01_{ym}{last:02d}.csv"]
    for path in world.landing.glob("institutions/*/*.jsonl"):
        assert uscc.is_valid(path.stem)
        first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        assert first["institution_code"] == path.stem
        assert first["institution_district_code"] in dict(DISTRICTS)


def test_public_security_is_gb18030_with_crlf(world: World) -> None:
    for path in world.landing.glob("public_security/*/*.csv"):
        raw = path.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert raw.count(b"\n") == raw.count(b"\r\n") > 1
        header = raw.decode("gb18030").split("\r\n")[0].split(",")
        assert header == PS_HEADER + (["变更类型"] if "delta" in path.name else [])


def test_gov_services_is_utf8_with_bom_and_open_cases_have_no_end(world: World) -> None:
    results = Counter()
    for path in world.landing.glob("gov_services/*/*.csv"):
        raw = path.read_bytes()
        assert raw.startswith(codecs.BOM_UTF8)
        assert raw[3:].decode("utf-8").splitlines()[0].split(",") == GOV_HEADER
        for row in world.rows(str(path.relative_to(world.landing))).values():
            results[row["办理结果"]] += 1
            assert (row["办结时间"] == "") == (row["办理结果"] == "受理中")
            assert row["办结时间"] == "" or row["办结时间"] > row["申请时间"]
    assert set(results) == {"受理中", "办结", "不予受理"}


def test_rosters_have_title_header_and_totals(world: World) -> None:
    for path in world.landing.glob("civil_affairs/2025-0[12]/*.xlsx"):
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        _, name, ym = path.stem.split("_")
        assert sheet[0][0] == f"{name}{ym[:4]}年{int(ym[4:])}月老年人补贴发放名册"
        assert sheet[1] == ROSTER_HEADER
        assert sheet[-1][0] == "合计"
        amounts = [float(r[12]) for r in sheet[2:-1]]
        assert sheet[-1][12] == pytest.approx(sum(amounts))
        assert all(a > 0 and round(a, 2) == a for a in amounts)
        assert {r[13] for r in sheet[2:-1]} <= {ym}


def test_regions_codes_are_well_formed_and_parents_exist(world: World) -> None:
    rows = _csv(world.landing / "reference" / "regions.csv")
    by_code = {r["code"]: r for r in rows}
    assert len(by_code) == len(rows)
    assert [(r["code"][:6], r["name"]) for r in rows if r["level"] == "district"] == DISTRICTS
    parent_level = {"street": "district", "community": "street", "grid": "community"}
    keep = {"street": 6, "community": 9, "grid": 12}
    for r in rows:
        code, level = r["code"], r["level"]
        assert code.isdigit() and len(code) == (15 if level == "grid" else 12)
        if level == "district":
            assert code.endswith("000000") and r["parent_code"] == ""
            continue
        parent = by_code[r["parent_code"]]
        assert parent["level"] == parent_level[level]
        assert code[: keep[level]] == parent["code"][: keep[level]]
    names = Counter(r["name"][-2:] for r in rows if r["level"] == "street")
    assert set(names) <= {"街道"} | {n for n in names if n.endswith("镇")}
    assert all(r["name"].endswith(("社区", "村")) for r in rows if r["level"] == "community")
    assert all(r["name"] == f"第{int(r['code'][12:])}网格" for r in rows if r["level"] == "grid")


def test_every_delivered_row_has_one_record_and_it_points_at_the_person(world: World) -> None:
    by_file = defaultdict(list)
    for rec in world.records:
        by_file[rec["source_file"]].append(rec)
    delivered = {str(p.relative_to(world.landing)) for p in world.landing.glob("[cgip]*/*/*")}
    assert set(by_file) == delivered
    checked = 0
    for file, recs in by_file.items():
        rows = world.rows(file)
        assert sorted(int(r["source_row"]) for r in recs) == sorted(rows)
        for rec in recs:
            row, codes = rows[int(rec["source_row"])], rec["defects"]
            if rec["person_id"] == "":
                assert codes == "totals_row" and row["序号"] == "合计"
                continue
            person = world.persons[rec["person_id"]]
            name_field, id_field, _, _ = FIELDS[rec["source"]]
            if "name_" not in codes:
                assert row[name_field] == person["name"]
            if "id_" not in codes:
                assert (row[id_field] or "") in {person["id_number"], person["doc_number"]}
            checked += 1
    assert checked > 10_000


def test_id_numbers_are_valid_gb11643(world: World) -> None:
    people = list(world.persons.values())
    ids = [p["id_number"] for p in people if p["id_number"]]
    assert len(ids) == len(set(ids))
    for p in people:
        number = p["id_number"]
        if not number:
            assert p["registration"] == "non_mainland" and p["doc_number"]
            continue
        try:
            ric.validate(number)
        except InvalidComponent:  # stdnum dates a county code by birth year, not issue year
            assert number[:6] in LEGACY_COUNTIES and int(number[6:10]) < 1982
            assert ric.calc_check_digit(number) == number[17]
        assert number[6:14] == p["birth_date"].replace("-", "")
        assert int(number[16]) % 2 == (1 if p["sex"] == "1" else 0)
    prefixes = Counter(i[:6] for i in ids)
    assert prefixes.keys() & {"120107", "120108", "120109"}
    assert prefixes.keys() & LEGACY_COUNTIES
    assert any(not p.startswith("12") for p in prefixes)


def test_payments_stop_at_death_except_the_planted_ones(world: World) -> None:
    planted = {(a["source_file"], a["source_row"]) for a in world.anomalies
               if a["kind"] == "paid_after_death"}  # fmt: skip
    after_death = set()
    for rec in world.records:
        if rec["source"] != "civil_affairs" or not rec["person_id"]:
            continue
        death = world.persons[rec["person_id"]]["death_date"]
        month = rec["source_file"].split("/")[1]
        if death and month > death[:7]:
            after_death.add((rec["source_file"], rec["source_row"]))
            assert "paid_after_death" in rec["defects"]
    assert planted and after_death == planted


def test_two_district_payments_are_in_two_rosters(world: World) -> None:
    districts = defaultdict(set)
    for rec in world.records:
        if rec["source"] == "civil_affairs" and rec["person_id"]:
            month, name = rec["source_file"].split("/")[1:]
            districts[(rec["person_id"], month)].add(name[:6])
    twice = [a for a in world.anomalies if a["kind"] == "paid_in_two_districts"]
    assert twice
    for a in twice:
        assert len(districts[(a["person_id"], a["month"])]) >= 2


def test_residents_are_discharged_at_death_and_never_listed_after(world: World) -> None:
    died_inside = 0
    for rec in world.records:
        if rec["source"] != "institutions":
            continue
        death = world.persons[rec["person_id"]]["death_date"]
        month = rec["source_file"].split("/")[1]
        row = world.rows(rec["source_file"])[int(rec["source_row"])]
        assert not death or month <= death[:7]
        if death and month == death[:7]:
            assert (row["discharge_date"], row["discharge_reason"]) == (death, "死亡")
            died_inside += 1
        if row["discharge_reason"] == "死亡":
            assert row["discharge_date"] == death
    assert died_inside


def test_agents_are_other_people_with_their_own_phone(world: World) -> None:
    gov = [r for r in world.records if r["source"] == "gov_services"]
    by_agent = [r for r in gov if r["applicant_person_id"]]
    assert 0.25 < len(by_agent) / len(gov) < 0.55
    for rec in by_agent:
        agent, elder = world.persons[rec["applicant_person_id"]], world.persons[rec["person_id"]]
        assert agent["is_agent_only"] == "1" and agent["agent_for_person_id"] == elder["person_id"]
        row = world.rows(rec["source_file"])[int(rec["source_row"])]
        assert row["申请人姓名"] == agent["name"]
        if "phone_" not in rec["defects"]:
            assert row["申请人联系电话"] == agent["phone"] != elder["phone"]
    agents = [p for p in world.persons.values() if p["is_agent_only"] == "1"]
    assert sum(p["birth_date"] > "1966-10-31" for p in agents) > len(agents) / 2


def test_monthly_counts_match_the_persons_they_count(world: World) -> None:
    counts = {(r["month"], r["district_code"]): int(r["elders"])
              for r in _csv(world.truth / "monthly_counts.csv")}  # fmt: skip
    for month in month_range(*MONTHS)[::6]:
        end = f"{month.label}-{calendar.monthrange(month.year, month.month)[1]:02d}"
        expected = Counter()
        for p in world.persons.values():
            gone = [d for d in (p["death_date"], p["moved_out_date"]) if d]
            sixty = f"{int(p['birth_date'][:4]) + 60}{p['birth_date'][4:]}"
            if p["is_agent_only"] == "1" or (gone and min(gone) <= end) or sixty > end:
                continue
            home = p["residence_district_code"] or p["hukou_district_code"]
            if p["hukou_transfer_date"] and p["hukou_transfer_date"] <= end:
                home = p["hukou_community_code_after"][:6]  # household and residence moved
            expected[home] += 1
        assert {d: counts[(month.label, d)] for d, _ in DISTRICTS} == {
            d: expected[d] for d, _ in DISTRICTS
        }


def test_summary_counts_what_was_delivered(world: World) -> None:
    assert world.summary.rows == Counter(r["source"] for r in world.records)
    for source, files in world.summary.files.items():
        assert files == len(list(world.landing.glob(f"{source}/*/*")))
    assert world.summary.persons == len(world.persons)


def test_names_collide_and_minority_names_carry_a_dot(world: World) -> None:
    people = [p for p in world.persons.values() if p["is_agent_only"] == "0"]
    assert Counter(p["name"] for p in people).most_common(1)[0][1] >= 5
    dotted = [p for p in people if "·" in p["name"]]
    assert 0.003 < len(dotted) / len(people) < 0.03
    assert all(p["ethnicity"] != "01" for p in dotted)
    phones = [p["phone"] for p in people]
    assert all(re.fullmatch(r"1[3-9]\d{9}|022-\d{8}", p) for p in phones)


def test_population_shape_is_plausible() -> None:
    months = month_range(*MONTHS)
    pop = build_population(np.random.default_rng(3), build_regions(), 50_000, months)
    age = pop.age(months[0].start)
    bands = [(60, 70), (70, 80), (80, 90), (90, 120)]
    sizes = [((age >= lo) & (age < hi)).sum() for lo, hi in bands]
    women = [(pop.sex[(age >= lo) & (age < hi)] == 2).mean() for lo, hi in bands]
    able = [(pop.ability[(age >= lo) & (age < hi)] == 0).mean() for lo, hi in bands]
    assert sizes == sorted(sizes, reverse=True)
    assert women == sorted(women) and women[0] < 0.55 < women[-1]
    assert able == sorted(able, reverse=True)
    assert age.max() >= 100 and (age < 60).any()


def test_homophones_sound_alike() -> None:
    for ch, alike in HOMOPHONES.items():
        for other in alike:
            assert lazy_pinyin(ch) == lazy_pinyin(other), (ch, other)


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}  # fmt: skip


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    small = {"elders": 300, "months": ("2024-10", "2024-12")}
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(tmp_path / name / "landing", tmp_path / name / "truth", seed=seed, **small)
    a, b, c = (_digest(tmp_path / n) for n in "abc")
    assert a == b
    changed = {k for k in a.keys() & c.keys() if a[k] != c[k]}
    assert {"truth/persons.csv", "landing/public_security/2024-10/rk_202410_full.csv"} <= changed


def _is_one_swap(value: str, true: str) -> bool:
    swaps = {true[:i] + true[i + 1] + true[i] + true[i + 2 :] for i in range(16)}
    return value != true and value in swaps


def _phone(value, person) -> bool:
    return _digits(value) in {_digits(person["phone"]), _digits(person["family_phone"])}


FULLWIDTH = set("０１２３４５６７８９")
DEFECTS = [
    pytest.param("name_typo", 0, lambda v, t, p: len(v) == len(t)
                 and sum(a != b for a, b in zip(v, t, strict=True)) == 1, id="name_typo"),
    pytest.param("name_homophone", 0, lambda v, t, p: v != t and lazy_pinyin(v) == lazy_pinyin(t),
                 id="name_homophone"),
    pytest.param("id_missing", 1, lambda v, t, p: v in ("", None), id="id_missing"),
    pytest.param("id_masked", 1, lambda v, t, p: v == t[:6] + "*" * 8 + t[14:], id="id_masked"),
    pytest.param("id_legacy15", 1, lambda v, t, p: v == t[:6] + t[8:17], id="id_legacy15"),
    pytest.param("id_digit_typo", 1, lambda v, t, p: len(v) == 18 and v[17] == t[17]
                 and sum(a != b for a, b in zip(v, t, strict=True)) == 1
                 and ric.calc_check_digit(v) != v[17], id="id_digit_typo"),
    pytest.param("id_transposition", 1, lambda v, t, p: _is_one_swap(v, t)
                 and ric.calc_check_digit(v) != v[17], id="id_transposition"),
    pytest.param("id_lowercase_x", 1, lambda v, t, p: t.endswith("X") and v == t[:-1] + "x",
                 id="id_lowercase_x"),
    pytest.param("id_spaces", 1, lambda v, t, p: " " in v and v.replace(" ", "") == t,
                 id="id_spaces"),
    pytest.param("id_fullwidth", 1, lambda v, t, p: set(v) & FULLWIDTH
                 and unicodedata.normalize("NFKC", v) == t, id="id_fullwidth"),
    pytest.param("birth_month_day_swap", 2, lambda v, t, p: v != t
                 and v == f"{t[:4]}-{t[8:]}-{t[5:7]}", id="birth_month_day_swap"),
    pytest.param("birth_year_month_dot", 2, lambda v, t, p: v == f"{t[:4]}.{t[5:7]}",
                 id="birth_year_month_dot"),
    pytest.param("birth_cn_year_month", 2, lambda v, t, p: v == f"{t[:4]}年{int(t[5:7])}月",
                 id="birth_cn_year_month"),
    pytest.param("birth_compact", 2, lambda v, t, p: v == t.replace("-", ""), id="birth_compact"),
    pytest.param("birth_excel_date", 2, lambda v, t, p: v == dt.date.fromisoformat(t),
                 id="birth_excel_date"),
    pytest.param("phone_plus86", 3, lambda v, t, p: v.startswith("+86") and _phone(v, p),
                 id="phone_plus86"),
    pytest.param("phone_86_prefix", 3, lambda v, t, p: v.startswith("86") and _phone(v, p),
                 id="phone_86_prefix"),
    pytest.param("phone_spaces", 3, lambda v, t, p: " " in v and _phone(v, p), id="phone_spaces"),
    pytest.param("phone_dashes", 3, lambda v, t, p: re.fullmatch(r"(1\d\d|022)-\d{4}-\d{4}", v)
                 and _phone(v, p), id="phone_dashes"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "field", "carries"), DEFECTS)
def test_each_defect_is_delivered_and_recorded(kind, field, carries, tmp_path: Path) -> None:
    rates = replace(DefectRates.none(), **{kind: 1.0})
    w = World(tmp_path, elders=400, months=("2024-10", "2024-12"), seed=11, defects=rates)
    hits = [r for r in w.records if kind in r["defects"].split(";")]
    assert hits
    truth_field = ("name", "id_number", "birth_date", None)[field]
    for rec in hits:
        person = w.persons[rec["person_id"]]
        value = w.rows(rec["source_file"])[int(rec["source_row"])][FIELDS[rec["source"]][field]]
        assert carries(value, person.get(truth_field), person), (rec, value)


def test_duplicate_rows_repeat_the_row_before(tmp_path: Path) -> None:
    rates = replace(DefectRates.none(), duplicate_row=0.2)
    w = World(tmp_path, elders=300, months=("2024-10", "2024-11"), seed=2, defects=rates)
    copies = [r for r in w.records if r["defects"] == "duplicate_row"]
    assert {r["source"] for r in copies} == set(FIELDS)
    for rec in copies:
        rows = w.rows(rec["source_file"])
        assert rows[int(rec["source_row"])] == rows[int(rec["source_row"]) - 1]


def test_clean_rates_deliver_clean_rows(tmp_path: Path) -> None:
    w = World(tmp_path, elders=300, months=("2024-10", "2024-11"), defects=DefectRates.none())
    assert {r["defects"] for r in w.records} == {"", "totals_row"}
    assert not w.anomalies


def test_a_month_without_applications_writes_a_header_only_file(tmp_path):
    generate(tmp_path / "l", tmp_path / "t", elders=200, months=("2026-09", "2026-10"), seed=1)
    files = sorted((tmp_path / "l" / "gov_services").rglob("*.csv"))
    rows = [len(path.read_text(encoding="utf-8-sig").splitlines()) - 1 for path in files]
    assert len(files) == 2
    assert 0 in rows  # a small population has a month with no cases; it must not crash
