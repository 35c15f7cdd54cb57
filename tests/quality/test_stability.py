"""Elder ids across reruns and new months; steward decisions across reruns."""

from __future__ import annotations

from datetime import date

import pytest

from quality.linkage import review
from quality.linkage.run import link
from tests.quality.linkage_support import load, make_feeds, reset_raw, xref
from warehouse.connection import connect
from warehouse.settings import Linkage

MONTHS = ("2026-08", "2026-10")


@pytest.fixture(scope="module")
def feeds(settings, tmp_path_factory):
    """500 elders over three months; only the first two are loaded and linked here."""
    folder = make_feeds(tmp_path_factory.mktemp("stability"), 500, MONTHS, seed=9)
    reset_raw(settings)
    for month in ("2026-08", "2026-09"):
        load(settings, folder / "landing", month)
    link(settings, date(2026, 9, 30))
    return folder


def _ids(settings) -> dict:
    rows = xref(settings)
    keys = zip(rows["source_file"], rows["source_row"], rows["role"], strict=True)
    return dict(zip(keys, rows["elder_id"], strict=True))


def test_a_rerun_keeps_every_elder_id_and_logs_nothing(feeds, settings):
    before = _ids(settings)
    summary = link(settings, date(2026, 9, 30))
    assert _ids(settings) == before
    with connect(settings) as conn:
        events = conn.execute(
            "select count(*) from linkage.cluster_events where run_id = %s", (summary.run_id,)
        ).fetchone()[0]
    assert events == 0


def test_a_new_month_keeps_every_elder_id(feeds, settings):
    before = _ids(settings)
    load(settings, feeds / "landing", "2026-10")
    link(settings, date(2026, 10, 31))
    after = _ids(settings)
    assert len(after) > len(before)
    assert {key: after[key] for key in before} == before


def _two_rows(settings, same_elder: bool) -> tuple[tuple, tuple]:
    """Two elder rows of different profiles, of one elder or of two different elders."""
    with connect(settings) as conn:
        found = conn.execute(
            f"""select a.source_file, a.source_row, b.source_file, b.source_row
            from linkage.elder_xref a join linkage.elder_xref b
              on a.elder_id {"=" if same_elder else "<>"} b.elder_id
             and a.profile_id < b.profile_id
            where a.role = 'elder' and b.role = 'elder'
              and a.source = 'civil_affairs' and b.source = 'civil_affairs'
            order by a.record_id {"desc" if same_elder else ""}, b.record_id limit 1"""
        ).fetchone()
    return found[:2], found[2:]


def _decided(settings, left, right, decision: str, who: str) -> None:
    with connect(settings) as conn:
        review.record(conn, left, right, decision, who, note="checked the paper file")
        conn.commit()


def test_a_steward_merge_survives_reruns_and_is_logged(feeds, settings):
    left, right = _two_rows(settings, same_elder=False)
    _decided(settings, left, right, "same", "steward.li")
    for _ in range(2):
        link(settings, date(2026, 10, 31))
        ids = _ids(settings)
        assert ids[(*left, "elder")] == ids[(*right, "elder")]
    with connect(settings) as conn:
        merges = conn.execute(
            "select count(*) from linkage.cluster_events where event = 'merge'"
        ).fetchone()[0]
        linked_by = conn.execute(
            "select linked_by from linkage.elder_xref where (source_file, source_row) = (%s, %s)",
            left,
        ).fetchone()[0]
    assert merges == 1 and linked_by == "steward:same"


def test_a_steward_split_survives_reruns_and_is_logged(feeds, settings):
    left, right = _two_rows(settings, same_elder=True)
    old_id = _ids(settings)[(*left, "elder")]
    _decided(settings, left, right, "different", "steward.wang")
    for _ in range(2):
        link(settings, date(2026, 10, 31))
        ids = _ids(settings)
        assert ids[(*left, "elder")] != ids[(*right, "elder")]
    with connect(settings) as conn:
        splits = conn.execute(
            "select run_id from linkage.cluster_events where event = 'split' and elder_id = %s",
            (old_id,),
        ).fetchall()
        who = conn.execute("select decided_by from linkage.review_decisions order by 1").fetchall()
    assert len(splits) == 1
    assert who == [("steward.li",), ("steward.wang",)]


def test_the_review_queue_holds_pairs_in_the_band_and_takes_decisions(feeds, settings):
    wide = settings.model_copy(update={"linkage": Linkage(review_threshold=1e-300)})
    summary = link(wide, date(2026, 10, 31))
    with connect(settings) as conn:
        queued = conn.execute(
            "select review_id, probability from linkage.review_queue order by probability desc"
        ).fetchall()
        assert len(queued) == summary.review_queue
        assert all(1e-300 <= p < 0.9 for _, p in queued)
        if queued:
            review.decide(conn, queued[0][0], "different", who="steward.zhao")
            conn.commit()
    if queued:
        link(wide, date(2026, 10, 31))
        with connect(settings) as conn:
            again = conn.execute(
                "select count(*) from linkage.review_queue where review_id = %s", (queued[0][0],)
            ).fetchone()[0]
        assert again == 0
