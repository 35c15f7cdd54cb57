"""Tianjin's 16 districts with generated streets, communities and grids (reference/regions.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

# The geography is the same for every seed, so runs with different seeds share one reference.
REGIONS_SEED = 1202

# code, name, streets, kind (urban | mixed | rural), relative elder population, central (older)
DISTRICTS: tuple[tuple[str, str, int, str, float, bool], ...] = (
    ("120101", "和平区", 6, "urban", 12, True),
    ("120102", "河东区", 13, "urban", 24, True),
    ("120103", "河西区", 14, "urban", 26, True),
    ("120104", "南开区", 12, "urban", 28, True),
    ("120105", "河北区", 10, "urban", 22, True),
    ("120106", "红桥区", 10, "urban", 14, True),
    ("120110", "东丽区", 11, "mixed", 14, False),
    ("120111", "西青区", 10, "mixed", 15, False),
    ("120112", "津南区", 8, "mixed", 14, False),
    ("120113", "北辰区", 13, "mixed", 15, False),
    ("120114", "武清区", 29, "rural", 22, False),
    ("120115", "宝坻区", 24, "rural", 19, False),
    ("120116", "滨海新区", 21, "mixed", 35, False),
    ("120117", "宁河区", 14, "rural", 10, False),
    ("120118", "静海区", 18, "rural", 14, False),
    ("120119", "蓟州区", 26, "rural", 19, False),
)
_TOWN_SHARE = {"urban": 0.0, "mixed": 0.4, "rural": 0.8}
_HEAD = "长华新向和建胜光友团幸红东前兴德安康育春文学嘉万水天西北南中金宝富丰泰顺福永瑞祥龙凤桃杏柳梅兰竹松柏青河海双三大小王李杨"  # noqa: E501
_TAIL = "园苑庄里桥湖港湾坊营口屯堡店城门亭塘泉山林坡台道路街景华平安宁康盛和兴泰"
_COMMUNITY_SUFFIX = ("里", "园", "苑", "新村", "花园", "家园", "公寓", "小区")
_VILLAGE_SUFFIX = ("家庄", "庄", "庄子", "营", "屯", "堡", "店", "口", "坨", "沽", "各庄")
_VILLAGE_HEAD = "王李张刘陈杨赵黄周吴孙马朱胡郭何高林罗郑梁谢宋唐韩冯于董曹"
_VILLAGE_SIDE = ("", "大", "小", "前", "后", "东", "西", "南", "北", "上", "下")


@dataclass
class Regions:
    """Columnar region tables; communities carry the address text used by every feed."""

    district_code: list[str]
    district_name: list[str]
    district_weight: np.ndarray
    district_central: np.ndarray
    district_rural: np.ndarray
    street_code: list[str]
    street_name: np.ndarray
    street_district: np.ndarray
    comm_code: np.ndarray
    comm_name: np.ndarray
    comm_street: np.ndarray
    comm_district: np.ndarray
    comm_village: np.ndarray
    comm_grids: np.ndarray
    comm_weight: np.ndarray

    def district_of(self, comm: np.ndarray) -> np.ndarray:
        """6-digit district code (as an integer) of each community."""
        return np.array(self.district_code, dtype=np.int64)[self.comm_district[comm]]

    @cached_property
    def address_prefix(self) -> np.ndarray:
        """天津市<district><street><community> for each community."""
        district = np.array(self.district_name, dtype=object)[self.comm_district]
        return "天津市" + district + self.street_name[self.comm_street] + self.comm_name


def _unique_names(rng: np.random.Generator, count: int, make, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = make(rng)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _pick(rng: np.random.Generator, chars: str | tuple[str, ...]) -> str:
    return chars[int(rng.integers(len(chars)))]


def _street_name(rng: np.random.Generator) -> str:
    return _pick(rng, _HEAD) + _pick(rng, _TAIL)


def _community_name(rng: np.random.Generator) -> str:
    return _pick(rng, _HEAD) + _pick(rng, _TAIL) + _pick(rng, _COMMUNITY_SUFFIX) + "社区"


def _village_name(rng: np.random.Generator) -> str:
    side, head = _pick(rng, _VILLAGE_SIDE), _pick(rng, _VILLAGE_HEAD)
    return side + head + _pick(rng, _VILLAGE_SUFFIX) + "村"


def build_regions() -> Regions:
    """Generate the fixed street, community and grid tree under the real districts."""
    rng = np.random.default_rng(REGIONS_SEED)
    street_names: set[str] = set()
    streets: list[tuple[str, str, int]] = []
    comms: list[tuple[str, str, int, int, bool, int, float]] = []
    for d, (code, _name, n_streets, kind, _w, central) in enumerate(DISTRICTS):
        n_towns = round(n_streets * _TOWN_SHARE[kind])
        comm_names: set[str] = set()
        for s, name in enumerate(_unique_names(rng, n_streets, _street_name, street_names)):
            town = s >= n_streets - n_towns
            street_code = f"{code}{100 + s if town else 1 + s:03d}"
            streets.append((street_code + "000", name + ("镇" if town else "街道"), d))
            n_comm = int(rng.integers(1, 4)) if town else int(rng.integers(6, 15))
            n_vill = int(rng.integers(10, 26)) if town else 0
            comm_list = _unique_names(rng, n_comm, _community_name, comm_names)
            vill_list = _unique_names(rng, n_vill, _village_name, comm_names)
            density = 1.8 if central else 1.0
            for c, cname in enumerate(comm_list):
                grids = int(rng.integers(4, 10))
                weight = density * rng.lognormal(0, 0.4)
                comms.append(
                    (f"{street_code}{1 + c:03d}", cname, len(streets) - 1, d, False, grids, weight)
                )
            for c, vname in enumerate(vill_list):
                weight = 0.35 * rng.lognormal(0, 0.4)
                comms.append(
                    (
                        f"{street_code}{200 + c:03d}",
                        vname,
                        len(streets) - 1,
                        d,
                        True,
                        int(rng.integers(1, 4)),
                        weight,
                    )
                )
    return _assemble(streets, comms)


def _assemble(streets: list, comms: list) -> Regions:
    cols = list(zip(*comms, strict=True))
    return Regions(
        district_code=[d[0] for d in DISTRICTS],
        district_name=[d[1] for d in DISTRICTS],
        district_weight=np.array([d[4] for d in DISTRICTS], dtype=float),
        district_central=np.array([d[5] for d in DISTRICTS]),
        district_rural=np.array([d[3] == "rural" for d in DISTRICTS]),
        street_code=[s[0] for s in streets],
        street_name=np.array([s[1] for s in streets], dtype=object),
        street_district=np.array([s[2] for s in streets], dtype=np.int16),
        comm_code=np.array(cols[0], dtype=object),
        comm_name=np.array(cols[1], dtype=object),
        comm_street=np.array(cols[2], dtype=np.int32),
        comm_district=np.array(cols[3], dtype=np.int16),
        comm_village=np.array(cols[4], dtype=bool),
        comm_grids=np.array(cols[5], dtype=np.int16),
        comm_weight=np.array(cols[6], dtype=float),
    )


def write_regions(regions: Regions, path: Path) -> int:
    """Write reference/regions.csv in tree order; return the number of data rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["code", "name", "level", "parent_code"])
        for d, code in enumerate(regions.district_code):
            out.writerow([code + "000000", regions.district_name[d], "district", ""])
            rows += 1
            for s in np.flatnonzero(regions.street_district == d):
                parent = regions.street_code[s]
                out.writerow([parent, regions.street_name[s], "street", code + "000000"])
                rows += 1
                for c in np.flatnonzero(regions.comm_street == s):
                    ccode = regions.comm_code[c]
                    out.writerow([ccode, regions.comm_name[c], "community", parent])
                    out.writerows(
                        [f"{ccode}{g:03d}", f"第{g}网格", "grid", ccode]
                        for g in range(1, regions.comm_grids[c] + 1)
                    )
                    rows += 1 + int(regions.comm_grids[c])
    return rows
