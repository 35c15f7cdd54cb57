"""`eldercare review list | show | decide` against a linked store."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from orchestration.commands.review import app
from quality.linkage.run import link
from tests.quality.linkage_support import load, make_feeds, reset_raw
from warehouse.connection import connect
from warehouse.settings import Linkage

runner = CliRunner()


@pytest.fixture(scope="module")
def queued(settings, tmp_path_factory):
    """A small linked store whose review band is wide enough to hold pairs."""
    folder = make_feeds(tmp_path_factory.mktemp("review"), 300, ("2026-09", "2026-10"), seed=3)
    reset_raw(settings)
    load(settings, folder / "landing")
    wide = settings.model_copy(update={"linkage": Linkage(review_threshold=1e-300)})
    link(wide, date(2026, 10, 31))
    with connect(settings) as conn:
        return [r[0] for r in conn.execute("select review_id from linkage.review_queue")]


def test_list_shows_the_queue(queued):
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    for review_id in queued[:5]:
        assert review_id in result.output


def test_show_and_decide_a_pair(queued, settings):
    if not queued:
        pytest.skip("the model put no pair in the review band")
    shown = runner.invoke(app, ["show", queued[0]])
    assert shown.exit_code == 0, shown.output
    assert "source_file" in shown.output and "birth" in shown.output
    decided = runner.invoke(app, ["decide", queued[0], "different", "--who", "steward.sun"])
    assert decided.exit_code == 0, decided.output
    with connect(settings) as conn:
        who = conn.execute(
            "select decided_by, decision from linkage.review_decisions order by decision_id desc"
        ).fetchone()
    assert who == ("steward.sun", "different")


def test_a_wrong_decision_or_pair_is_refused(queued):
    assert runner.invoke(app, ["decide", "nosuchpair", "same"]).exit_code == 1
    assert runner.invoke(app, ["show", "nosuchpair"]).exit_code == 1
    if queued:
        assert runner.invoke(app, ["decide", queued[0], "maybe"]).exit_code == 1


def test_the_report_is_written(queued, tmp_path):
    out = tmp_path / "linkage.html"
    result = runner.invoke(app, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    for section in ("各数据源匹配率", "待人工复核", "匹配得分分布", "排除原因", "最大的聚类"):
        assert section in text
