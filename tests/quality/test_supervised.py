"""The classifier trained on steward decisions: ECM below the minimum of labels, the
supervised model above it, reported, at least as good as ECM, and led by the labels."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from quality.linkage import review
from quality.linkage.evaluate import evaluate, truth_rows
from quality.linkage.report import render
from quality.linkage.run import link
from tests.quality.linkage_support import load, make_feeds, reset_raw
from warehouse.connection import connect

MONTHS = ("2026-09", "2026-10")
REFERENCE = date(2026, 10, 31)
LABELS = 30  # per class; the default minimum is 20


def _labelled_pairs(settings, truth_dir) -> tuple[list, list]:
    """Candidate pairs the rules do not decide, as two row locators, split by the truth into
    same-person and different-people pairs (in random order)."""
    with connect(settings) as conn:
        sides = pd.DataFrame(
            conn.execute(
                "select distinct on (profile_id) profile_id, source_file, source_row, role"
                " from linkage.elder_xref where role = 'elder' order by profile_id, record_id"
            ).fetchall(),
            columns=["profile_id", "source_file", "source_row", "role"],
        ).merge(truth_rows(truth_dir), on=["source_file", "source_row", "role"])
        pairs = conn.execute(
            """select c.left_id, c.right_id from linkage.candidate_pairs c
            left join linkage.scored_pairs s using (left_id, right_id) where s.rule is null"""
        ).fetchall()
    side = sides.set_index("profile_id")
    same, different = [], []
    for left, right in pairs:
        if left in side.index and right in side.index:
            a, b = side.loc[left], side.loc[right]
            pair = tuple((s["source_file"], int(s["source_row"])) for s in (a, b))
            (same if a["person"] == b["person"] else different).append(pair)
    rng = np.random.default_rng(3)
    return [same[i] for i in rng.permutation(len(same))], [
        different[i] for i in rng.permutation(len(different))
    ]


def _decide(settings, same: list, different: list) -> None:
    with connect(settings) as conn:
        conn.execute("delete from linkage.review_decisions")
        for pairs, decision in ((same, "same"), (different, "different")):
            for left, right in pairs:
                review.record(conn, left, right, decision, "steward.test")
        conn.commit()


def _agreeing_matches(settings) -> int:
    """Pairs that no rule decides, with the same name and birth date, scored as matches."""
    with connect(settings) as conn:
        return conn.execute(
            "select count(*) from linkage.scored_pairs where rule is null and probability >= %s"
            " and name_level = 4 and birth_level = 4",
            (settings.linkage.match_threshold,),
        ).fetchone()[0]


@pytest.fixture(scope="module")
def labelled(settings, tmp_path_factory):
    """400 elders over two months linked by ECM; truth-drawn label pairs of each kind."""
    folder = make_feeds(tmp_path_factory.mktemp("supervised"), 400, MONTHS, seed=13)
    reset_raw(settings)
    load(settings, folder / "landing")
    summary = link(settings, REFERENCE)
    with connect(settings) as conn:
        figures = evaluate(conn, folder / "truth")
    same, different = _labelled_pairs(settings, folder / "truth")
    assert len(same) >= LABELS and len(different) >= LABELS, (len(same), len(different))
    return folder, summary, figures, same[:LABELS], different[:LABELS]


def test_below_the_minimum_of_labels_ecm_scores(labelled, settings):
    _, first, _, same, different = labelled
    assert first.classifier["method"] == "ecm"
    _decide(settings, same[:5], different[:5])
    summary = link(settings, REFERENCE)
    assert summary.classifier["method"] == "ecm"
    assert summary.classifier["labels"] == {"same": 5, "different": 5}
    assert summary.weights


def test_enough_labels_train_the_supervised_classifier(labelled, settings):
    folder, _, ecm, same, different = labelled
    _decide(settings, same, different)
    summary = link(settings, REFERENCE)
    about = summary.classifier
    assert about["method"] == "logistic_regression"
    assert about["labels"] == {"same": LABELS, "different": LABELS}
    assert about["cross_validation"]["folds"] == 5
    assert 0.5 < about["cross_validation"]["accuracy"] <= 1
    with connect(settings) as conn:
        figures = evaluate(conn, folder / "truth")
        stored = conn.execute(
            "select summary -> 'classifier' ->> 'method' from linkage.runs where run_id = %s",
            (summary.run_id,),
        ).fetchone()[0]
        page = render(conn)
    assert figures["rows"]["f1"] >= ecm["rows"]["f1"], (figures, ecm)
    assert stored == "logistic_regression"
    assert "逻辑回归（以人工复核结论训练）" in page and "5 折交叉验证" in page


def test_the_labels_lead_the_classifier(labelled, settings):
    """Told the opposite of the truth, the model turns against agreement: names that agree
    count against a match, and pairs the truthful labels link no longer score as matches."""
    _, _, _, same, different = labelled
    _decide(settings, same, different)
    truthful = link(settings, REFERENCE).classifier["coefficients"]
    linked_truthfully = _agreeing_matches(settings)
    _decide(settings, different, same)
    flipped = link(settings, REFERENCE).classifier["coefficients"]
    linked_when_flipped = _agreeing_matches(settings)
    assert truthful["name"]["exact"] > truthful["name"]["different"]
    assert flipped["name"]["exact"] < flipped["name"]["different"]
    assert linked_truthfully > 0
    assert linked_when_flipped < linked_truthfully / 2, (linked_when_flipped, linked_truthfully)
