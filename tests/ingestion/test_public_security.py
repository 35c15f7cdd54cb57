import csv
from pathlib import Path

import pytest

from ingestion import public_security
from ingestion.reading import FileRejected
from warehouse.settings import FeedSettings, load_settings

FEED = load_settings().feeds["public_security"]
HEADER = [
    "公民身份号码",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "户籍地址",
    "户籍地区划代码",
    "人员状态",
]
ROW = ["120104194203051243", "王秀英", "2", "01", "19420305", "天津市南开区", "120104001001", "0"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def first_values(path: Path, feed: FeedSettings = FEED) -> dict:
    return next(iter(public_security.read(path, feed))).values


def test_rows_are_numbered_from_one_after_the_header(tmp_path):
    rows = list(public_security.read(write_csv(tmp_path / "rk.csv", HEADER, [ROW, ROW]), FEED))
    assert [row.locator for row in rows] == [1, 2]
    assert rows[0].values["name"] == "王秀英"
    assert rows[0].values["registered_region_code"] == "120104001001"


def test_a_reordered_file_reads_the_same(tmp_path):
    order = list(reversed(range(len(HEADER))))
    path = write_csv(tmp_path / "rk.csv", [HEADER[i] for i in order], [[ROW[i] for i in order]])
    assert first_values(path)["id_number"] == ROW[0]


def test_an_extra_column_is_ignored(tmp_path):
    path = write_csv(tmp_path / "rk.csv", [*HEADER, "备注"], [[*ROW, "新增列"]])
    assert first_values(path)["id_number"] == ROW[0]


def test_a_renamed_column_is_configured_not_coded(tmp_path):
    path = write_csv(tmp_path / "rk.csv", ["身份证号码", *HEADER[1:]], [ROW])
    with pytest.raises(FileRejected):
        first_values(path)
    configured = FeedSettings(
        columns={**FEED.columns, "身份证号码": "id_number"}, required=FEED.required
    )
    assert first_values(path, configured)["id_number"] == ROW[0]


def test_a_missing_required_column_names_the_file_and_the_column(tmp_path):
    path = write_csv(tmp_path / "rk_202610_full.csv", HEADER[1:], [ROW[1:]])
    with pytest.raises(FileRejected) as error:
        first_values(path)
    assert error.value.reason == "missing_column"
    assert "rk_202610_full.csv" in str(error.value)
    assert "公民身份号码" in str(error.value)


def test_a_short_row_is_a_problem_row_not_a_crash(tmp_path):
    path = write_csv(tmp_path / "rk.csv", HEADER, [ROW, ROW[:3]])
    rows = list(public_security.read(path, FEED))
    assert rows[0].problem is None
    assert rows[1].problem[0] == "malformed_row"
