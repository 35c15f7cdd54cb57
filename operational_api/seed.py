"""Base data for a fresh store: Tianjin's divisions (from the reference regions.csv when the
landing area has one, else a small generated tree) and a service catalogue."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, func, select

from operational_api.catalogue import service as catalogue
from operational_api.catalogue.models import service_items
from operational_api.regions import service as regions

# code, name, relative elder population (urban districts are older and denser)
DISTRICTS = (
    ("120101", "和平区", 12), ("120102", "河东区", 24), ("120103", "河西区", 26),
    ("120104", "南开区", 28), ("120105", "河北区", 22), ("120106", "红桥区", 14),
    ("120110", "东丽区", 14), ("120111", "西青区", 15), ("120112", "津南区", 14),
    ("120113", "北辰区", 15), ("120114", "武清区", 22), ("120115", "宝坻区", 19),
    ("120116", "滨海新区", 35), ("120117", "宁河区", 10), ("120118", "静海区", 14),
    ("120119", "蓟州区", 19),
)  # fmt: skip
STREET_NAMES = [
    "长虹",
    "华苑",
    "体育中心",
    "万兴",
    "学府",
    "向阳",
    "嘉陵道",
    "王顶堤",
    "鼓楼",
    "兴南",
]
COMMUNITY_NAMES = ["育红", "华坪", "雅安", "怡然", "龙井", "碧华", "风荷", "日华"]

# column -> category -> items: (name, 工时 minutes, price yuan, promised response minutes,
# words that fit the item)
CATALOGUE = {
    "生活照料": {
        "助餐服务": [("助餐送餐", 30, 15, 120, ["送餐", "做饭", "午饭", "晚饭", "吃饭"])],
        "助洁服务": [("居家保洁", 120, 60, 1440, ["打扫", "保洁", "卫生", "擦", "清洁"])],
        "助浴服务": [("上门助浴", 60, 80, 1440, ["洗澡", "助浴", "擦身"])],
    },
    "医疗护理": {
        "健康服务": [
            ("健康监测", 30, 30, 720, ["血压", "血糖", "体检", "监测"]),
            ("康复护理", 60, 100, 1440, ["康复", "按摩", "理疗", "护理"]),
        ],
    },
    "精神慰藉": {"陪伴服务": [("陪同就医", 180, 90, 720, ["就医", "看病", "医院", "陪同"]),
                              ("聊天陪伴", 60, 30, 1440, ["聊天", "陪伴", "孤独"])]},
    "紧急救援": {"应急服务": [("紧急呼叫响应", 30, 0, 30, ["摔倒", "紧急", "急救", "不适"])]},
}  # fmt: skip


def district_weights() -> dict[str, int]:
    return {code: weight for code, _name, weight in DISTRICTS}


def generated_regions(streets_per_district: int = 3, communities: int = 3) -> list[dict]:
    rows = []
    for d, (code, name, _weight) in enumerate(DISTRICTS):
        rows.append({"code": code + "000000", "name": name, "level": "district"})
        for s in range(streets_per_district):
            street = f"{code}{s + 1:03d}"
            street_name = STREET_NAMES[(d + s) % len(STREET_NAMES)] + "街道"
            rows.append(
                {
                    "code": street + "000",
                    "name": street_name,
                    "level": "street",
                    "parent_code": code + "000000",
                }
            )
            for c in range(communities):
                rows.append(
                    {
                        "code": f"{street}{c + 1:03d}",
                        "name": COMMUNITY_NAMES[(s + c) % len(COMMUNITY_NAMES)] + "社区",
                        "level": "community",
                        "parent_code": street + "000",
                    }
                )
    return rows


def load_regions(conn: Connection, *, landing: Path | None) -> int:
    """The reference regions.csv from the landing area if present, else the generated tree."""
    reference = landing / "reference" / "regions.csv" if landing else None
    if reference and reference.exists():
        return regions.load_csv(conn, path=reference)
    return regions.upsert(conn, rows=generated_regions())


def load_catalogue(conn: Connection, *, now) -> list[int]:
    """The catalogue above, once; the ids of its items."""
    if conn.execute(select(func.count()).select_from(service_items)).scalar():
        return list(conn.execute(select(service_items.c.id).order_by(service_items.c.id)).scalars())
    ids = []
    for column, categories in CATALOGUE.items():
        col = catalogue.create(conn, user=None, kind="column", values={"name": column}, now=now)
        for category, items in categories.items():
            cat = catalogue.create(
                conn,
                user=None,
                kind="category",
                now=now,
                values={"column_id": col["id"], "name": category},
            )
            for name, minutes, price, response, words in items:
                values = {
                    "category_id": cat["id"],
                    "name": name,
                    "standard_minutes": minutes,
                    "price": price,
                    "response_minutes": response,
                    "keywords": words,
                }
                ids.append(
                    catalogue.create(conn, user=None, kind="item", values=values, now=now)["id"]
                )
    return ids
