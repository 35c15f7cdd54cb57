"""A new month linked on its own: the same elders and ids as relinking everything."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from quality.linkage import review
from quality.linkage.evaluate import evaluate
from quality.linkage.run import link
from tests.quality.linkage_support import LINKAGE_TABLES, load, make_feeds, reset_raw, xref
from warehouse.connection import connect
from warehouse.settings import Linkage

MONTHS = ("2026-07", "2026-10")
MONTH_ENDS = {"2026-07": 31, "2026-08": 31, "2026-09": 30, "2026-10": 31}
LAST = date(2026, 10, 31)


def _ids(settings) -> dict:
    rows = xref(settings)
    keys = zip(rows["source_file"], rows["source_row"], rows["role"], strict=True)
    return dict(zip(keys, rows["elder_id"], strict=True))


def _partition(ids: dict) -> set[frozenset]:
    groups: dict = {}
    for key, elder_id in ids.items():
        groups.setdefault(elder_id, set()).add(key)
    return {frozenset(group) for group in groups.values()}


def _elders(settings) -> dict:
    with connect(settings) as conn:
        return {
            row[0]: row[1:]
            for row in conn.execute(
                "select elder_id, name, phone, community_code, is_eligible, exclusion_reason,"
                " source_rows, phone_source_file, phone_source_row from linkage.elders"
            )
        }


@pytest.fixture(scope="module")
def monthly(settings, tmp_path_factory):
    """300 elders over four months, loaded and linked one month at a time."""
    folder = make_feeds(tmp_path_factory.mktemp("incremental"), 300, MONTHS, seed=17)
    reset_raw(settings)
    runs, ids_after = [], []
    for month, end in MONTH_ENDS.items():
        load(settings, folder / "landing", month)
        runs.append(link(settings, date.fromisoformat(f"{month}-{end}")))
        ids_after.append(_ids(settings))
    with connect(settings) as conn:
        figures = evaluate(conn, folder / "truth")
    return folder, runs, ids_after, figures, _elders(settings)


def test_a_new_month_links_only_what_is_new(monthly):
    _, runs, _, figures, _ = monthly
    assert [run.mode for run in runs] == ["full", "incremental", "incremental", "incremental"]
    for before, after in pairwise(runs):
        assert after.new_records == after.records - before.records > 0
        assert 0 < after.new_candidate_pairs < after.candidate_pairs
        assert 0 < after.touched_elders <= after.elders
    assert figures["rows"]["f1"] >= 0.995, figures


def test_elder_ids_stay_when_months_are_added(monthly):
    _, _, ids_after, _, _ = monthly
    for before, after in pairwise(ids_after):
        assert {key: after[key] for key in before} == before


def test_a_full_relink_gives_the_same_elders_ids_and_golden_records(monthly, settings):
    _, _, ids_after, _, elders = monthly
    summary = link(settings, LAST, mode="full")
    assert summary.mode == "full"
    assert _ids(settings) == ids_after[-1]
    assert _elders(settings) == elders
    with connect(settings) as conn:
        events = conn.execute(
            "select count(*) from linkage.cluster_events where run_id = %s", (summary.run_id,)
        ).fetchone()[0]
    assert events == 0


def test_linking_from_scratch_forms_the_same_elders(monthly, settings):
    _, _, ids_after, _, _ = monthly
    with connect(settings) as conn:
        for table in LINKAGE_TABLES:
            if table != "review_decisions":
                conn.execute(f"drop table if exists linkage.{table} cascade")
        conn.commit()
    summary = link(settings, LAST)
    assert summary.mode == "full"
    assert _partition(_ids(settings)) == _partition(ids_after[-1])


def test_changed_settings_or_decisions_relink_everything(monthly, settings):
    assert link(settings, LAST).mode == "incremental"
    wider = settings.model_copy(update={"linkage": Linkage(review_threshold=0.4)})
    summary = link(wider, LAST)
    assert (summary.mode, summary.mode_reason) == (
        "full", "linkage settings, steward decisions or the model changed",
    )  # fmt: skip
    assert link(wider, LAST).mode == "incremental"
    rows = xref(settings)
    elders = rows[rows["role"] == "elder"]
    left, right = (
        (row["source_file"], int(row["source_row"])) for _, row in elders.iloc[[0, -1]].iterrows()
    )
    with connect(settings) as conn:
        review.record(conn, left, right, "different", "steward.li")
        conn.commit()
    assert link(wider, LAST).mode == "full"
