"""Where people are registered and live: communities, house numbers and address text."""

from __future__ import annotations

import numpy as np

from .regions import Regions

_BLDG = np.array([f"{b}号楼" for b in range(41)], dtype=object)
_UNIT = np.array([f"{u}门" for u in range(7)], dtype=object)
_ROOM = np.array([f"{r}" for r in range(1905)], dtype=object)
_LOT = np.array([f"{n}号" for n in range(301)], dtype=object)


def districts_for(rng: np.random.Generator, regions: Regions, age: np.ndarray) -> np.ndarray:
    """District index per person; the central districts hold older people."""
    out = np.empty(len(age), dtype=np.int16)
    older = np.clip(age - 60, 0, 45)
    for a in np.unique(older):
        sel = np.flatnonzero(older == a)
        w = regions.district_weight * np.where(regions.district_central, 1 + 0.02 * a, 1.0)
        out[sel] = rng.choice(len(w), size=sel.size, p=w / w.sum())
    return out


def communities_in(rng: np.random.Generator, regions: Regions, district: np.ndarray) -> np.ndarray:
    """A community of the given district per person, denser where the weight is higher."""
    out = np.empty(len(district), dtype=np.int32)
    for d in range(len(regions.district_code)):
        sel = np.flatnonzero(district == d)
        comms = np.flatnonzero(regions.comm_district == d)
        p = regions.comm_weight[comms]
        out[sel] = rng.choice(comms, size=sel.size, p=p / p.sum())
    return out


def houses(rng: np.random.Generator, size: int) -> np.ndarray:
    """Encoded dwelling: building*10000 + unit*1000 + floor*10 + door (a lot number in villages)."""
    bldg = rng.integers(1, 41, size)
    unit = rng.integers(1, 7, size)
    floor = rng.integers(1, 19, size)
    door = rng.integers(1, 5, size)
    return (bldg * 10000 + unit * 1000 + floor * 10 + door).astype(np.int32)


def place(
    rng: np.random.Generator, regions: Regions, age: np.ndarray, kind: np.ndarray
) -> dict[str, np.ndarray]:
    """Registered (户籍) and residence community and dwelling; -1 where there is none."""
    n = len(age)
    comm = communities_in(rng, regions, districts_for(rng, regions, age))
    registered = kind == 0
    hukou = np.where(registered, comm, -1).astype(np.int32)
    u = rng.random(n)
    elsewhere = registered & (u >= 0.80) & (u < 0.94)
    outside = registered & (u >= 0.97)
    residence = comm.copy()
    near = rng.random(n) < 0.7
    moved_district = np.where(near, regions.comm_district[comm], districts_for(rng, regions, age))
    residence[elsewhere] = communities_in(rng, regions, moved_district[elsewhere])
    residence[outside] = -1
    hukou_house = houses(rng, n)
    res_house = np.where(
        (residence == hukou) & (rng.random(n) < 0.85), hukou_house, houses(rng, n)
    ).astype(np.int32)
    grid = np.zeros(n, dtype=np.int16)
    lives = residence >= 0
    grid[lives] = 1 + (rng.random(int(lives.sum())) * regions.comm_grids[residence[lives]])
    return {
        "hukou_comm": hukou,
        "hukou_house": hukou_house,
        "res_comm": residence,
        "res_house": res_house,
        "res_grid": grid,
    }


def address(prefix: np.ndarray, village: np.ndarray, comm: np.ndarray, house: np.ndarray):
    """Address text such as 天津市南开区长虹街道华苑里社区3号楼2门301; empty where comm is -1."""
    out = np.full(len(comm), "", dtype=object)
    has = comm >= 0
    c, h = comm[has], house[has]
    text = (
        prefix[c]
        + _BLDG[h // 10000]
        + _UNIT[h // 1000 % 10]
        + _ROOM[(h % 1000 // 10) * 100 + h % 10]
    )
    in_village = village[c]
    text[in_village] = prefix[c[in_village]] + _LOT[(h[in_village] // 1000) % 300 + 1]
    out[has] = text
    return out
