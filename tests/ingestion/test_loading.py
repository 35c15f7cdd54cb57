"""Files through the loader into a real store: what loads, what is quarantined, and why."""

import json
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

from ingestion import civil_affairs, gov_services, institutions, public_security
from ingestion.landing import Delivery
from ingestion.loader import load_deliveries, load_delivery
from ingestion.reading import Delivered
from warehouse.settings import load_settings

SETTINGS = load_settings()
PS_HEADER = [
    "公民身份号码",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "户籍地址",
    "户籍地区划代码",
    "人员状态",
]
PS_ROWS = [
    ["120104194203051243", "王秀英", "2", "01", "19420305", "天津市南开区", "120104001001", "0"],
    ["12010419501112211X", "张建国", "1", "01", "19501112", "天津市南开区", "120104001002", "0"],
]
GS_HEADER = ["办件编号", "事项名称", "申请人姓名", "申请人联系电话", "老年人姓名", "老年人证件类型",
             "老年人证件号码", "现居住地址", "申请时间", "办结时间", "办理结果"]  # fmt: skip
CA_HEADER = ["序号", "姓名", "身份证号", "性别", "出生年月", "街道", "社区", "联系电话", "补贴类型",
             "困难类型", "能力等级", "居住情况", "发放金额（元）", "发放月份", "备注"]  # fmt: skip


def deliver(tmp_path: Path, source: str, name: str, data: bytes) -> Delivery:
    path = tmp_path / source / "2026-10" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Delivery(source, "2026-10", path, f"{source}/2026-10/{name}")


def csv_bytes(header, rows, encoding="gb18030", bom=False) -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return (
        ("\ufeff" if bom else "").encode(encoding) + "\r\n".join(lines).encode(encoding) + b"\r\n"
    )


def load(conn, delivery, module, regions, feed=None):
    feed = feed or SETTINGS.feeds[delivery.source]
    result = load_delivery(conn, delivery, module, feed, regions)
    logged = conn.execute(
        "select status, delivered, loaded, quarantined from raw.load_log where source_file = %s",
        (delivery.source_file,),
    ).fetchone()
    if result.status != "skipped":
        assert logged == (result.status, result.delivered, result.loaded, result.quarantined)
        assert logged[1] == logged[2] + logged[3]  # the accounting every file owes
    return result


def quarantined(conn, source_file) -> list[tuple]:
    return conn.execute(
        "select source_row, reason from quarantine.rejected_rows where source_file = %s"
        " order by source_row",
        (source_file,),
    ).fetchall()


@pytest.mark.parametrize(
    ("data", "status", "delivered", "reason"),
    [
        pytest.param(b"", "rejected", 0, "empty_file", id="empty file"),
        pytest.param(csv_bytes(PS_HEADER, []), "loaded", 0, None, id="header only"),
        pytest.param(bytes(range(256)) * 8, "rejected", 0, "not_text", id="binary garbage"),
        pytest.param(csv_bytes(PS_HEADER[1:], [r[1:] for r in PS_ROWS]), "rejected", 2,
                     "missing_column", id="missing column"),
        pytest.param(csv_bytes([*PS_HEADER, "备注"], [[*r, "x"] for r in PS_ROWS]), "loaded", 2,
                     None, id="extra column"),
        pytest.param(csv_bytes(PS_HEADER, PS_ROWS, encoding="utf-8"), "rejected", 0,
                     "wrong_encoding", id="utf-8 where gb18030 is due"),
    ],
)  # fmt: skip
def test_public_security_files(conn, regions, tmp_path, data, status, delivered, reason):
    delivery = deliver(tmp_path, "public_security", "rk_202610_full.csv", data)
    result = load(conn, delivery, public_security, regions)
    assert (result.status, result.delivered) == (status, delivered)
    if reason:
        found = conn.execute(
            "select reason, message from quarantine.rejected_files where source_file = %s",
            (delivery.source_file,),
        ).fetchone()
        assert found[0] == reason
        assert "rk_202610_full.csv" in found[1]


def test_a_truncated_file_loads_its_whole_rows_and_quarantines_the_cut_one(conn, regions, tmp_path):
    data = csv_bytes(PS_HEADER, PS_ROWS)
    delivery = deliver(tmp_path, "public_security", "rk_cut.csv", data[: len(data) - 40])
    result = load(conn, delivery, public_security, regions)
    assert (result.loaded, result.quarantined) == (1, 1)
    assert quarantined(conn, delivery.source_file) == [(2, "malformed_row")]


def test_a_wrong_encoding_is_named(conn, regions, tmp_path):
    rows = [["SB1", "高龄津贴申领", "王秀英", "13800138000", "王秀英", "居民身份证",
             "120104194203051243", "天津市南开区长虹街道华苑社区", "2026-10-08 09:00:00", "",
             "受理中"]]  # fmt: skip
    delivery = deliver(tmp_path, "gov_services", "sb.csv", csv_bytes(GS_HEADER, rows))
    result = load(conn, delivery, gov_services, regions)
    assert result.status == "rejected"
    assert "utf-8" in result.message.lower()


def test_duplicates_and_lineage(conn, regions, tmp_path):
    delivery = deliver(
        tmp_path, "public_security", "rk_dup.csv", csv_bytes(PS_HEADER, [*PS_ROWS, PS_ROWS[0]])
    )
    load(conn, delivery, public_security, regions)
    assert quarantined(conn, delivery.source_file) == [(3, "duplicate_row")]
    message = conn.execute("select message from quarantine.rejected_rows").fetchone()[0]
    assert "row 1" in message
    lineage = conn.execute(
        "select source, source_file, source_row, length(file_sha256), loaded_at is not null"
        " from raw.public_security_persons order by source_row"
    ).fetchall()
    assert lineage == [
        ("public_security", delivery.source_file, 1, 64, True),
        ("public_security", delivery.source_file, 2, 64, True),
    ]


def test_the_same_bytes_under_two_names_load_once(conn, regions, tmp_path):
    data = csv_bytes(PS_HEADER, PS_ROWS)
    first = load(
        conn, deliver(tmp_path, "public_security", "a.csv", data), public_security, regions
    )
    second = load(
        conn, deliver(tmp_path, "public_security", "b.csv", data), public_security, regions
    )
    assert (first.status, second.status) == ("loaded", "skipped")
    assert conn.execute("select count(*) from raw.public_security_persons").fetchone()[0] == 2


def test_an_interrupted_load_leaves_nothing_and_reruns_whole(conn, regions, tmp_path, monkeypatch):
    delivery = deliver(tmp_path, "public_security", "rk.csv", csv_bytes(PS_HEADER, PS_ROWS * 1))
    real_read = public_security.read

    def crash_on_second_row(path, feed):
        delivered = real_read(path, feed)

        def rows():
            yield next(delivered.rows)
            raise MemoryError("the machine ran out of memory mid-file")

        return Delivered(delivered.fields, delivered.width, rows())

    monkeypatch.setattr(public_security, "read", crash_on_second_row)
    with pytest.raises(MemoryError):
        load(conn, delivery, public_security, regions)
    assert conn.execute("select count(*) from raw.public_security_persons").fetchone()[0] == 0
    assert conn.execute("select count(*) from raw.load_log where source = 'public_security'"
                        ).fetchone()[0] == 0  # fmt: skip
    monkeypatch.setattr(public_security, "read", real_read)
    assert load(conn, delivery, public_security, regions).loaded == 2


def test_a_rejected_file_loads_once_its_column_is_configured(conn, regions, tmp_path):
    header = ["身份证号码", *PS_HEADER[1:]]
    delivery = deliver(tmp_path, "public_security", "rk.csv", csv_bytes(header, PS_ROWS))
    assert load(conn, delivery, public_security, regions).status == "rejected"
    feed = SETTINGS.feeds["public_security"]
    configured = feed.model_copy(update={"columns": {**feed.columns, "身份证号码": "id_number"}})
    assert load(conn, delivery, public_security, regions, configured).status == "loaded"
    assert conn.execute("select count(*) from quarantine.rejected_files").fetchone()[0] == 0


def roster(path: Path, rows: list[list]) -> bytes:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["南开区2026年10月老年人补贴发放名册"])
    sheet.write_row(1, 0, CA_HEADER)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(2 + offset, column, value, dates)
            else:
                sheet.write(2 + offset, column, value)
    workbook.close()
    return path.read_bytes()


CA_ROWS = [
    [1, "王秀英", "120104194203051243", "女", "1942.03", "长虹街道", "华苑社区",
     "+86 138 0013 8000", "高龄津贴", "无", "能力轻度受损", "独居", 150.0, "202610", ""],
    [2, "张建国", "12010419501112211x", "男", date(1950, 11, 12), "长虹街道", "鹤园社区",
     "022-2345 6789", "居家养老服务补贴", "低保", "中度失能", "空巢", 400.0, "202610", ""],
    ["合计", "", "", "", "", "", "", "", "", "", "", "", 550.0, "", ""],
]  # fmt: skip


def test_a_roster_with_title_header_total_and_excel_dates(conn, regions, tmp_path):
    data = roster(tmp_path / "tmp.xlsx", CA_ROWS)
    delivery = deliver(tmp_path, "civil_affairs", "120104_南开区_202610.xlsx", data)
    result = load(conn, delivery, civil_affairs, regions)
    assert (result.delivered, result.loaded, result.quarantined) == (3, 2, 1)
    assert quarantined(conn, delivery.source_file) == [(5, "not_a_person")]
    rows = conn.execute(
        "select source_row, birth_date_clean, birth_date_precision, street_code, community_code,"
        " phone_clean, ability_level_clean, amount_yuan::text, id_number_clean"
        " from raw.civil_affairs_payments order by source_row"
    ).fetchall()
    assert rows == [
        (3, date(1942, 3, 1), "month", "120104001000", "120104001001", "13800138000", "轻度失能",
         "150.00", "120104194203051243"),
        (4, date(1950, 11, 12), "day", "120104001000", "120104001002", "022-23456789", "中度失能",
         "400.00", "12010419501112211X"),
    ]  # fmt: skip


def test_a_truncated_workbook_is_rejected_whole(conn, regions, tmp_path):
    data = roster(tmp_path / "tmp.xlsx", CA_ROWS)
    delivery = deliver(tmp_path, "civil_affairs", "120104_南开区_202610.xlsx", data[:2000])
    result = load(conn, delivery, civil_affairs, regions)
    assert (result.status, result.loaded) == ("rejected", 0)
    assert conn.execute("select count(*) from raw.civil_affairs_payments").fetchone()[0] == 0


def resident(**changes) -> str:
    record = {
        "institution_code": "52120102516492173A", "institution_name": "仁爱老年公寓",
        "institution_district_code": "120102", "resident_name": "王秀英",
        "id_number": "120104********1243", "gender": "F", "birth_date": "1942-25-03",
        "admission_date": "2024-04-26", "discharge_date": None, "discharge_reason": None,
        "care_level": "半护理", "contact_phone": "153 4759 6967", "bed_no": "3-305-3",
    }  # fmt: skip
    return json.dumps({**record, **changes}, ensure_ascii=False)


def test_institution_lines_malformed_masked_and_swapped(conn, regions, tmp_path):
    lines = [resident(), "{not json", resident(resident_name="张建国", id_number=None)]
    delivery = deliver(tmp_path, "institutions", "52120102516492173A.jsonl",
                       "\n".join(lines).encode() + b"\n")  # fmt: skip
    result = load(conn, delivery, institutions, regions)
    assert (result.delivered, result.loaded, result.quarantined) == (3, 2, 1)
    assert quarantined(conn, delivery.source_file) == [(2, "malformed_json")]
    rows = conn.execute(
        "select source_row, sex, birth_date_clean, issues from raw.institution_residents"
        " order by source_row"
    ).fetchall()
    assert rows[0] == (1, 2, date(1942, 3, 25), ["id_masked", "date_month_day_swapped"])
    assert rows[1][0] == 3 and "id_missing" in rows[1][3]


def test_gov_service_cases_by_an_agent_and_with_a_passport(conn, regions, tmp_path):
    rows = [
        ["SB1", "高龄津贴申领", "王建军", "13900139000", "王秀英", "居民身份证",
         "120104194203051243", "天津市南开区长虹街道华苑社区1号", "2026-10-08 09:00:00", "",
         "受理中"],
        ["SB2", "老年人优待证办理", "John Smith", "13900139001", "John Smith", "护照", "E12345678",
         "天津市和平区劝业场街道滨西社区", "2026-10-09 10:00:00", "2026-10-10 10:00:00", "办结"],
    ]  # fmt: skip
    delivery = deliver(
        tmp_path, "gov_services", "sb.csv", csv_bytes(GS_HEADER, rows, "utf-8", True)
    )
    assert load(conn, delivery, gov_services, regions).loaded == 2
    cases = conn.execute(
        "select is_filed_by_agent, id_number_clean, document_number_clean, district_code,"
        " street_code, community_code from raw.gov_service_cases order by source_row"
    ).fetchall()
    assert cases == [
        (True, "120104194203051243", "120104194203051243", "120104", "120104001000",
         "120104001001"),
        (False, None, "E12345678", "120101", "120101001000", "120101001001"),
    ]  # fmt: skip


def test_small_files_loaded_together_keep_their_own_accounting(conn, regions, tmp_path):
    good = "\n".join([resident(), resident(resident_name="张建国")]).encode() + b"\n"
    cut = resident().encode() + b"\n" + "张建国".encode("gb18030") + b"\n"  # not UTF-8 half-way
    duplicated = "\n".join([resident(), resident()]).encode() + b"\n"
    deliveries = [
        deliver(tmp_path, "institutions", "a.jsonl", good),
        deliver(tmp_path, "institutions", "b.jsonl", cut),
        deliver(tmp_path, "institutions", "c.jsonl", duplicated),
        deliver(tmp_path, "institutions", "d.jsonl", good),  # the same bytes as a.jsonl
    ]
    feed = SETTINGS.feeds["institutions"]
    results = load_deliveries(conn, deliveries, institutions, feed, regions)
    assert [(r.status, r.delivered, r.loaded, r.quarantined) for r in results] == [
        ("loaded", 2, 2, 0), ("rejected", 0, 0, 0), ("loaded", 2, 1, 1), ("skipped", 0, 0, 0),
    ]  # fmt: skip
    logged = conn.execute(
        "select source_file, status, delivered, loaded, quarantined from raw.load_log"
        " where source = 'institutions' order by source_file"
    ).fetchall()
    assert [row[1:] for row in logged] == [
        ("loaded", 2, 2, 0), ("rejected", 0, 0, 0), ("loaded", 2, 1, 1),
    ]  # fmt: skip
    rows = conn.execute(
        "select source_file, source_row from raw.institution_residents order by 1, 2"
    ).fetchall()
    assert [(name.rsplit("/", 1)[1], row) for name, row in rows] == [
        ("a.jsonl", 1), ("a.jsonl", 2), ("c.jsonl", 1),
    ]  # fmt: skip
    assert quarantined(conn, deliveries[2].source_file) == [(2, "duplicate_row")]
    rejected = conn.execute("select source_file, reason from quarantine.rejected_files").fetchall()
    assert rejected == [(deliveries[1].source_file, "wrong_encoding")]
