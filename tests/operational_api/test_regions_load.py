"""Reference regions of Tianjin's size load in one go (17,706 divisions in the sample)."""

import csv

from sqlalchemy import text

from operational_api.db import make_engine
from operational_api.regions.service import load_csv


def test_a_city_sized_regions_file_loads(api_settings, tmp_path):
    path = tmp_path / "regions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "level", "parent_code"])
        writer.writerow(["129900000000", "测试区", "district", ""])
        for street in range(1, 201):
            street_code = f"129900{street:03d}000"
            writer.writerow([street_code, f"测试{street}街道", "street", "129900000000"])
            for community in range(1, 100):
                code = f"129900{street:03d}{community:03d}"
                writer.writerow([code, f"测试{community}社区", "community", street_code])
    engine = make_engine(api_settings, pool_size=1)
    try:
        with engine.begin() as conn:
            assert load_csv(conn, path=path) == 1 + 200 + 200 * 99
            loaded = conn.execute(
                text("select count(*) from ops.regions where code like '1299%'")
            ).scalar()
            conn.execute(text("delete from ops.regions where code like '1299%'"))
    finally:
        engine.dispose()
    assert loaded == 20001
