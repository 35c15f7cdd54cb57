"""The generator's truth, person by person and month by month, as the analytics tests need it:
who counts as an elder in which district each month, and which of them the feeds had shown
by then (a migrant in no feed yet cannot be in any database)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.connection import connect


def _months(truth: Path) -> list[str]:
    counts = pd.read_csv(truth / "monthly_counts.csv", dtype=str)
    return sorted(counts["month"].unique())


def _month_end(label: str) -> pd.Timestamp:
    return pd.Period(label, "M").end_time.normalize()


def elder_months(truth: Path, residence_seen: pd.Series | None = None) -> pd.DataFrame:
    """person_id, month, district_code by the truth README's rule for monthly_counts.csv.

    With `residence_seen` (person_id → first month a feed stated where they live), a
    registered person's residence counts only from that month; before it the registered
    district is all any database could know."""
    people = pd.read_csv(truth / "persons.csv", dtype=str, keep_default_na=False)
    people = people[people["is_agent_only"] == "0"]
    birth = pd.to_datetime(people["birth_date"])
    death = pd.to_datetime(people["death_date"].replace("", None))
    moved = pd.to_datetime(people["moved_out_date"].replace("", None))
    transfer = pd.to_datetime(people["hukou_transfer_date"].replace("", None))
    frames = []
    for label in _months(truth):
        end = _month_end(label)
        here = (death.isna() | (death > end)) & (moved.isna() | (moved > end))
        here &= people["in_tianjin_from"] <= label
        here &= birth <= end - pd.DateOffset(years=60)
        transferred = transfer.notna() & (transfer <= end)
        hukou = people["hukou_community_code"].where(
            ~transferred, people["hukou_community_code_after"]
        )
        residence = people["residence_community_code"].where(~transferred, hukou)
        community = residence.where(residence != "", hukou)
        if residence_seen is not None:
            seen = people["person_id"].map(residence_seen)
            stated = (seen.notna() & (seen <= label)) | transferred
            community = community.where(stated | (hukou == ""), hukou)
            # a migrant whose home no feed states is known by the institution they live in
            admitted = pd.to_datetime(people["admission_date"].replace("", None))
            institution = people["institution_code"].str[2:8] + "000000"
            in_home = (hukou == "") & ~stated & admitted.notna() & (admitted <= end)
            community = community.where(~in_home, institution)
        frames.append(
            pd.DataFrame(
                {
                    "person_id": people.loc[here, "person_id"],
                    "month": label,
                    "district_code": community[here].str[:6],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def first_seen(truth: Path, source: str | None = None) -> pd.Series:
    """The first delivery month in which a feed row (of `source`, or any) names the person
    as the elder."""
    records = pd.read_csv(truth / "records.csv", dtype=str, keep_default_na=False)
    records = records[records["person_id"] != ""]
    if source:
        records = records[records["source"] == source]
    month = records["source_file"].str.split("/").str[1]
    return month.groupby(records["person_id"]).min()


def observable_elder_months(truth: Path) -> pd.DataFrame:
    """What a perfect database could know from the delivered rows: elder_months of people some
    feed had shown by that month, placed at their residence once a service-platform case (the
    only feed that states where an elder lives) had stated it."""
    months = elder_months(truth, residence_seen=first_seen(truth, "gov_services"))
    seen = first_seen(truth)
    first = months["person_id"].map(seen)
    return months[first.notna() & (first <= months["month"])]


def counts_by_district(frame: pd.DataFrame) -> pd.Series:
    return frame.groupby(["month", "district_code"]).size()


def mart_counts(settings) -> pd.Series:
    """Elders per month and district in marts.fct_elder_months, as the BI role reads them."""
    with connect(settings, "bi") as conn:
        rows = conn.execute(
            "select to_char(month, 'YYYY-MM'), district_code, count(*)"
            " from marts.fct_elder_months group by 1, 2"
        ).fetchall()
    index = pd.MultiIndex.from_tuples([r[:2] for r in rows], names=["month", "district_code"])
    return pd.Series([r[2] for r in rows], index=index, dtype="int64")
