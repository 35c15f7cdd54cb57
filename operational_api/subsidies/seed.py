"""The subsidy parameters every store starts with (migration 0002), in force from April 2017.

居家养老服务补贴 200 / 400 / 600 yuan a month for light / moderate / severe care need is
Tianjin's published 2017 standard (given in issue 7). No published figure was at hand for the
rest: they repeat the sample-feed generator's rules (ingestion/generator/subsidies.py), marked
`is_assumed`, so the analytics can reconcile what the rosters paid against what was due.
"""

from __future__ import annotations

from datetime import date

FROM = date(2017, 4, 1)
GENERATOR = "assumed: no published Tianjin figure at hand; the sample generator's rule"
PUBLISHED = "Tianjin home-care subsidy from April 2017 (issue 7): 200/400/600 yuan by care need"
HARDSHIP = ("低保", "特困", "低收入")
HOME_CARE = (("轻度失能", 20000), ("中度失能", 40000), ("重度失能", 60000), ("完全失能", 60000))


def _row(subsidy_type: str, amount_fen: int, note: str, assumed: bool, **identity) -> dict:
    keys = ("hardship_type", "age_min", "age_max", "ability_level", "residence")
    return {
        "subsidy_type": subsidy_type,
        **{key: identity.get(key) for key in keys},
        "amount_fen": amount_fen,
        "effective_from": FROM,
        "is_assumed": assumed,
        "source_note": note,
    }


def seed_rows() -> list[dict]:
    """The starting parameters: identity (null = any), amount in fen, source and assumption."""
    rows = [
        _row("高龄津贴", 10000, GENERATOR, True, age_min=80, age_max=89),
        _row("高龄津贴", 20000, GENERATOR, True, age_min=90, age_max=99),
        _row("高龄津贴", 50000, GENERATOR, True, age_min=100),
    ]
    for hardship in HARDSHIP:
        for ability, fen in HOME_CARE:
            complete = ability == "完全失能"  # the 2017 standard had three levels, not GB/T 42195
            note = PUBLISHED + ("; 完全失能 assumed to get the severe rate" if complete else "")
            note += "; limited to 低保/特困/低收入 elders living at home as the generator pays it"
            rows.append(
                _row(
                    "居家养老服务补贴",
                    fen,
                    note,
                    complete,
                    hardship_type=hardship,
                    ability_level=ability,
                    residence="home",
                )
            )
    for hardship, fen in (("低保", 20000), ("特困", 30000), ("低收入", 10000)):
        rows.append(_row("经济困难老年人生活补贴", fen, GENERATOR, True, hardship_type=hardship))
    for ability, fen in (("重度失能", 15000), ("完全失能", 30000)):
        rows.append(_row("失能老年人护理补贴", fen, GENERATOR, True, ability_level=ability))
    return rows
