"""The thin slice end to end: a landed public-security row ends up counted in the mart."""

from typer.testing import CliRunner

from orchestration.cli import app
from warehouse.connection import connect

FIXTURE_FILE = "public_security/2026-10/rk_202610_full.csv"


def mart(settings) -> dict[str, int]:
    with connect(settings, "bi") as conn:
        return dict(conn.execute("select district_name, elder_count from rpt_elders_by_district"))


def test_a_landed_row_is_counted_in_the_mart(settings):
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 0, result.output
    assert "run succeeded" in result.output
    assert "raw.public_security_persons" in result.output
    counts = mart(settings)
    assert len(counts) == 16
    # 王秀英 and 张建国; 李淑兰 (刘德明 died); 买买提·艾力; 陈国华 is 59 and 杨桂兰 moved out
    assert (counts["南开区"], counts["和平区"], counts["河西区"], counts["滨海新区"]) == (
        2,
        1,
        1,
        0,
    )
    with connect(settings) as conn:
        lineage = conn.execute(
            "select source_row, name from raw.public_security_persons"
            " where source_file = %s order by source_row",
            (FIXTURE_FILE,),
        ).fetchall()
    assert lineage[0] == (1, "王秀英")
    assert len(lineage) == 7


def test_a_rerun_changes_nothing(settings):
    before = mart(settings)
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 0, result.output
    assert mart(settings) == before
    with connect(settings) as conn:
        rows = conn.execute(
            "select count(*) from raw.public_security_persons where source_file = %s",
            (FIXTURE_FILE,),
        ).fetchone()[0]
    assert rows == 7
