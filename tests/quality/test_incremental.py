"""A new month linked on its own: the same elders and ids as relinking everything."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from stdnum.cn import ric

from quality.linkage import review, state
from quality.linkage.evaluate import evaluate
from quality.linkage.run import link
from tests.quality.linkage_support import (
    LINKAGE_TABLES,
    add_case,
    add_resident,
    load,
    make_feeds,
    reset_raw,
    xref,
)
from warehouse.connection import connect
from warehouse.settings import Linkage

MONTHS = ("2026-07", "2026-10")
MONTH_ENDS = {"2026-07": 31, "2026-08": 31, "2026-09": 30, "2026-10": 31}
MONTHS_AB = ("2026-07", "2026-08")
LAST = date(2026, 10, 31)


def _ids(settings) -> dict:
    rows = xref(settings)
    keys = zip(rows["source_file"], rows["source_row"], rows["role"], strict=True)
    return dict(zip(keys, rows["elder_id"], strict=True))


def _linked_at(settings) -> dict:
    with connect(settings) as conn:
        rows = conn.execute(
            "select source_file, source_row, role, linked_at from linkage.elder_xref"
        ).fetchall()
    return {row[:3]: row[3] for row in rows}


def _partition(ids: dict) -> set[frozenset]:
    groups: dict = {}
    for key, elder_id in ids.items():
        groups.setdefault(elder_id, set()).add(key)
    return {frozenset(group) for group in groups.values()}


def _elders(settings) -> dict:
    """Every column of every elder's record (golden values, their source rows, eligibility)."""
    with connect(settings) as conn:
        return {row[0]: row[1:] for row in conn.execute("select * from linkage.elders")}


def _add_bridge(folder) -> tuple[tuple, tuple, tuple]:
    """Two people apart in 2026-07: 金智秀 (a service case with a resident ID, in 南开区) and
    韩美玲 (an institution resident in 和平区 with no ID, born on the day that ID says); in
    2026-08 a case of 韩美玲 in 和平区 with 金智秀's ID number, which joins both (the same ID,
    and the same name, birth date, sex and district). Return the three rows' keys."""
    body = "12010119500101998"
    number = body + ric.calc_check_digit(body + "?")
    landing = folder / "landing"
    july, august = (min((landing / "gov_services" / month).glob("*.csv")) for month in MONTHS_AB)
    home = min((landing / "institutions" / MONTHS_AB[0]).glob("*.jsonl"))
    first = add_case(july, "TJSBBRIDGE01", "金智秀", "13900000001", "居民身份证", number,
                     "天津市南开区万兴街道")  # fmt: skip
    second = add_resident(home, "韩美玲", "女", "1950-01-01", "120101")
    joining = add_case(august, "TJSBBRIDGE02", "韩美玲", "13900000002", "居民身份证", number)
    rows = ((july, first), (home, second), (august, joining))
    return tuple((path.relative_to(landing).as_posix(), row, "elder") for path, row in rows)


@pytest.fixture(scope="module")
def monthly(settings, tmp_path_factory):
    """300 elders over four months, loaded and linked one month at a time, and three rows
    of which the second month's joins two elders of the first (_add_bridge). Returns also
    each row's linked_at after each month."""
    folder = make_feeds(tmp_path_factory.mktemp("incremental"), 300, MONTHS, seed=17)
    bridge = _add_bridge(folder)
    reset_raw(settings)
    runs, ids_after, linked_after = [], [], []
    for month, end in MONTH_ENDS.items():
        load(settings, folder / "landing", month)
        runs.append(link(settings, date.fromisoformat(f"{month}-{end}")))
        ids_after.append(_ids(settings))
        linked_after.append(_linked_at(settings))
    with connect(settings) as conn:
        figures = evaluate(conn, folder / "truth")
    return folder, runs, ids_after, figures, _elders(settings), bridge, linked_after


def test_a_new_month_links_only_what_is_new(monthly):
    _, runs, _, figures, _, _, _ = monthly
    assert [run.mode for run in runs] == ["full", "incremental", "incremental", "incremental"]
    for before, after in pairwise(runs):
        assert after.new_records == after.records - before.records > 0
        assert 0 < after.new_candidate_pairs < after.candidate_pairs
        assert 0 < after.touched_elders <= after.elders
    assert figures["rows"]["f1"] >= 0.995, figures


def test_elder_ids_stay_when_months_are_added(monthly):
    _, _, ids_after, _, _, bridge, _ = monthly
    for before, after in pairwise(ids_after):  # but for the two elders the bridge merges
        kept = [key for key in before if key not in bridge]
        assert {key: after[key] for key in kept} == {key: before[key] for key in kept}


def test_a_row_is_stamped_with_the_run_that_gave_it_its_elder(monthly, settings):
    """linked_at is the run's time for a month's new rows and for the rows it moved to another
    elder (the bridge's merge); every other row keeps the time it had."""
    _, runs, ids_after, _, _, _, linked_after = monthly
    with connect(settings) as conn:
        started = dict(conn.execute("select run_id, started_at from linkage.runs").fetchall())
    assert set(linked_after[0].values()) == {started[runs[0].run_id]}
    moved = 0
    for month in range(1, len(runs)):
        ids_before, ids_now = ids_after[month - 1], ids_after[month]
        stamp = started[runs[month].run_id]
        for key, value in linked_after[month].items():
            changed = key not in ids_before or ids_before[key] != ids_now[key]
            assert value == (stamp if changed else linked_after[month - 1][key]), key
        moved += sum(ids_before[key] != ids_now[key] for key in ids_before)
    assert moved >= 1  # the bridge moved one elder's rows to the other


def test_a_new_month_that_joins_two_elders_merges_them_and_logs_it(monthly, settings):
    _, runs, ids_after, _, _, (first, second, joining), _ = monthly
    july, august = ids_after[:2]
    assert july[first] != july[second]
    assert august[first] == august[second] == august[joining]
    survivor, gone = sorted((july[first], july[second]))
    with connect(settings) as conn:
        merges = conn.execute(
            "select elder_id, other_elder_ids from linkage.cluster_events"
            " where run_id = %s and event = 'merge'",
            (runs[1].run_id,),
        ).fetchall()
    assert (survivor, [gone]) in merges
    assert runs[1].reshaped_elders >= 2  # their golden records chosen again from all rows


def test_a_full_relink_gives_the_same_elders_ids_and_golden_records(monthly, settings):
    _, _, ids_after, _, elders, _, _ = monthly
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
    _, _, ids_after, _, _, _, _ = monthly
    with connect(settings) as conn:
        for table in LINKAGE_TABLES:
            if table != "review_decisions":
                conn.execute(f"drop table if exists linkage.{table} cascade")
        conn.commit()
    summary = link(settings, LAST)
    assert summary.mode == "full"
    assert _partition(_ids(settings)) == _partition(ids_after[-1])


def test_a_changed_golden_rule_relinks_everything(monthly, settings, monkeypatch):
    with connect(settings) as conn:
        assert state.plan(conn, settings.linkage, "auto").mode == "incremental"
        address = ("address", "text", 1, "gov_services", "r.address_clean", None)
        monkeypatch.setattr(state, "RULES", (*state.RULES, address))
        assert state.plan(conn, settings.linkage, "auto").mode == "full"


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
