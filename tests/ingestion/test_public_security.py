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
ROW = ["120104194203051236", "王秀英", "2", "01", "19420305", "天津市南开区", "120104001001", "0"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_rows_are_numbered_from_one_after_the_header(tmp_path):
    path = write_csv(tmp_path / "rk.csv", HEADER, [ROW, ROW])
    rows = list(public_security.read_rows(path, FEED))
    assert [number for number, _ in rows] == [1, 2]
    assert rows[0][1]["name"] == "王秀英"
    assert rows[0][1]["registered_region_code"] == "120104001001"


def test_a_reordered_file_reads_the_same(tmp_path):
    order = list(reversed(range(len(HEADER))))
    path = write_csv(tmp_path / "rk.csv", [HEADER[i] for i in order], [[ROW[i] for i in order]])
    assert next(public_security.read_rows(path, FEED))[1]["id_number"] == ROW[0]


def test_a_renamed_column_is_configured_not_coded(tmp_path):
    renamed = ["身份证号码", *HEADER[1:]]
    path = write_csv(tmp_path / "rk.csv", renamed, [ROW])
    with pytest.raises(FileRejected):
        list(public_security.read_rows(path, FEED))
    columns = {**FEED.columns, "身份证号码": "id_number"}
    configured = FeedSettings(columns=columns, required=FEED.required)
    assert next(public_security.read_rows(path, configured))[1]["id_number"] == ROW[0]


def test_a_missing_required_column_names_the_file_and_the_column(tmp_path):
    path = write_csv(tmp_path / "rk_202610_full.csv", HEADER[1:], [ROW[1:]])
    with pytest.raises(FileRejected) as error:
        list(public_security.read_rows(path, FEED))
    assert "rk_202610_full.csv" in str(error.value)
    assert "公民身份号码" in str(error.value)
