import shutil

import pytest

from ingestion.feeds import load_source
from tests.conftest import FIXTURES
from warehouse.connection import connect

FIXTURE = FIXTURES / "landing" / "public_security" / "2026-10" / "rk_202610_full.csv"


@pytest.fixture
def landing(tmp_path, settings):
    """A landing folder of the test's own; its rows are removed from raw afterwards."""
    root = tmp_path / "landing"
    (root / "public_security" / "2026-10").mkdir(parents=True)
    yield root
    with connect(settings) as conn:
        conn.execute("delete from raw.public_security_persons where source_file like '%copy%'")
        conn.execute("delete from raw.load_log where source_file like '%copy%'")


def test_the_same_bytes_under_two_names_load_once(settings, landing):
    month = landing / "public_security" / "2026-10"
    shutil.copy(FIXTURE, month / "rk_202610_full_copy1.csv")
    shutil.copy(FIXTURE, month / "rk_202610_full_copy2.csv")
    with connect(settings) as conn:
        results = load_source(conn, settings, "public_security", landing)
        assert [r.status for r in results] == ["loaded", "skipped"]
        assert results[0].delivered == results[0].loaded == 7
        rows = conn.execute(
            "select source, source_file, source_row from raw.public_security_persons"
            " where source_file like '%copy%' order by source_row"
        ).fetchall()
    assert rows == [
        ("public_security", "public_security/2026-10/rk_202610_full_copy1.csv", n)
        for n in range(1, 8)
    ]


def test_a_rerun_loads_nothing_again(settings, landing):
    shutil.copy(FIXTURE, landing / "public_security" / "2026-10" / "rk_copy.csv")
    with connect(settings) as conn:
        load_source(conn, settings, "public_security", landing)
        again = load_source(conn, settings, "public_security", landing)
        count = conn.execute(
            "select count(*) from raw.public_security_persons where source_file like '%copy%'"
        ).fetchone()[0]
        log = conn.execute(
            "select delivered, loaded, quarantined from raw.load_log"
            " where source_file like '%copy%'"
        ).fetchall()
    assert [r.status for r in again] == ["skipped"]
    assert count == 7
    assert log == [(7, 7, 0)]
