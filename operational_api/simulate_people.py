"""Elders for the stand-in table: from `raw.public_security_persons` when the pipeline has
loaded it, else synthesised Tianjin elders spread over the divisions by district weight."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import Connection, text
from stdnum.cn import ric

from operational_api.seed import district_weights
from warehouse.connection import connect
from warehouse.settings import Settings

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐韩冯于董萧程曹袁邓许傅沈曾彭"
GIVEN = (
    "秀英", "桂英", "秀兰", "玉兰", "凤英", "淑珍", "淑兰", "建国", "国华",
    "志强", "德明", "文华", "玉珍", "振华", "宝珍", "长青", "国庆", "素珍",
)  # fmt: skip


def _from_public_security(settings: Settings, limit: int, until: date) -> list[tuple]:
    """Living people aged 60+ from the registry feed, if the pipeline has loaded it."""
    with connect(settings, "pipeline") as conn:
        if conn.execute("select to_regclass('raw.public_security_persons')").fetchone()[0] is None:
            return []
        cutoff = until.replace(year=until.year - 60).strftime("%Y%m%d")
        return conn.execute(
            "select distinct on (id_number) id_number, name, sex_code, birth_date,"
            " registered_region_code from raw.public_security_persons"
            " where status_code = '0' and birth_date <= %s and length(registered_region_code) = 12"
            " order by id_number limit %s",
            (cutoff, limit),
        ).fetchall()


def _synthesised(communities: list[str], limit: int, until: date, rng: random.Random) -> list:
    weights = district_weights()
    by_district: dict[str, list[str]] = {}
    for code in communities:
        by_district.setdefault(code[:6], []).append(code)
    districts = [d for d in by_district if d in weights] or list(by_district)
    chosen = rng.choices(districts, [weights.get(d, 10) for d in districts], k=limit)
    rows, seen = [], set()
    for i, district in enumerate(chosen):
        community = rng.choice(by_district[district])
        born = date(until.year - rng.randint(60, 98), rng.randint(1, 12), rng.randint(1, 28))
        sex = rng.choice("12")
        stem = f"{district}{born:%Y%m%d}{i % 1000:03d}"[:16] + ("1" if sex == "1" else "2")
        number = stem + ric.calc_check_digit(stem)
        if number in seen:
            continue
        seen.add(number)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        rows.append((number, name, sex, born.strftime("%Y%m%d"), community))
    return rows


def ensure_elders(
    settings: Settings, conn: Connection, *, count: int, until: date, rng: random.Random
) -> int:
    """Top the stand-in table up to `count` elders (written as the migrator, which owns it)."""
    have = conn.execute(text("select count(*) from ops.elders")).scalar()
    if have >= count:
        return have
    communities = list(
        conn.execute(text("select code from ops.regions where level = 'community'")).scalars()
    )
    rows = _from_public_security(settings, count - have, until) or _synthesised(
        communities, count - have, until, rng
    )
    with connect(settings, "migrator") as owner:
        with owner.cursor() as cur:
            cur.executemany(
                "insert into ops.elder_stand_in (id_number, name, sex_code, birth_date, phone,"
                " district_code, street_code, community_code, address)"
                " values (%s, %s, %s, to_date(%s, 'YYYYMMDD'), %s, %s, %s, %s, %s)"
                " on conflict (id_number) do nothing",
                [
                    (
                        n,
                        name,
                        sex,
                        born,
                        f"13{rng.randint(0, 999_999_999):09d}",
                        region[:6] + "000000",
                        region[:9] + "000",
                        region,
                        "天津市",
                    )
                    for n, name, sex, born, region in rows
                ],
            )
        owner.commit()
    return conn.execute(text("select count(*) from ops.elders")).scalar()
