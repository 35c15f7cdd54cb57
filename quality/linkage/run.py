"""link(): one idempotent linkage run from the raw layer to elders, xref and review queue."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
import psycopg

from ingestion.feeds import FEEDS
from ingestion.loader import ensure_tables
from quality.linkage import (
    blocking,
    components,
    eligibility,
    golden,
    grouping,
    ops_ids,
    report,
    review,
    score,
    scored,
    state,
    xref,
)
from quality.linkage.compare import Arrays
from quality.linkage.profiles import Profiles, write_profiles
from quality.linkage.records import append_records, build_records
from warehouse.connection import connect
from warehouse.settings import Linkage, Settings

RUNS_DDL = """create table if not exists linkage.runs (
    run_id bigint generated always as identity primary key, reference_date date not null,
    started_at timestamptz not null default now(), summary jsonb)"""


@dataclass
class LinkageSummary:
    """What a run found, and how long each step took (seconds)."""

    run_id: int = 0
    reference_date: str = ""
    mode: str = ""
    mode_reason: str = ""
    records: int = 0
    new_records: int = 0
    profiles: int = 0
    candidate_pairs: int = 0
    new_candidate_pairs: int = 0
    pairs_per_pass: dict[str, int] = field(default_factory=dict)
    links_refused_by_rules: int = 0
    elders: int = 0
    touched_elders: int = 0  # elders whose golden record a new month rebuilt
    reshaped_elders: int = 0  # of those, merged, split or gone (chosen from all their rows)
    eligible_elders: int = 0
    ops_elders_moved: int = 0  # retired ids whose operational data moved to the survivor
    review_queue: int = 0
    weights: dict = field(default_factory=dict)
    classifier: dict = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _records(conn: psycopg.Connection, plan: state.Plan, summary: LinkageSummary) -> Arrays:
    """person_records and profiles: rebuilt, or a new month's added to them; every profile's
    compared fields, read back."""
    if plan.mode == "full":
        summary.records = summary.new_records = build_records(conn)
        write_profiles(conn, Profiles.load(conn))
    else:
        summary.new_records = append_records(conn)
        summary.records = plan.last_record + summary.new_records
        write_profiles(conn, Profiles.load(conn, plan.last_profile), append=True)
    arrays = Arrays.read(conn)
    summary.profiles = len(arrays)
    return arrays


def _scores(
    conn: psycopg.Connection,
    config: Linkage,
    arrays: Arrays,
    plan: state.Plan,
    summary: LinkageSummary,
    decided: tuple[list, list],
) -> score.Scores:
    """Every candidate pair scored (full), or a new month's pairs scored with the stored model
    and added to the stored pairs (only the new ones come back)."""
    if plan.mode == "full":
        scores = score.score(conn, arrays, config, *decided)
        scored.store(conn, scores)
        state.save_model(conn, plan.fingerprint, scores.model, scores.classifier)
        summary.candidate_pairs = summary.new_candidate_pairs = len(scores.left)
        return scores
    fitted = state.load_model(conn)
    new = score.score(conn, arrays, config, fitted=fitted, table="new_candidate_pairs")
    scored.store(conn, new, append=True)
    conn.execute("insert into linkage.candidate_pairs select * from linkage.new_candidate_pairs")
    conn.execute("drop table linkage.new_candidate_pairs")
    summary.new_candidate_pairs = len(new.left)
    summary.candidate_pairs = conn.execute(
        "select count(*) from linkage.candidate_pairs"
    ).fetchone()[0]
    return new


def _steps(
    conn: psycopg.Connection, settings: Settings, summary: LinkageSummary, plan: state.Plan
) -> None:
    config, clock = settings.linkage, time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        summary.seconds[name] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()

    arrays = _records(conn, plan, summary)
    lap("records")
    table = "candidate_pairs" if plan.mode == "full" else "new_candidate_pairs"
    summary.pairs_per_pass = blocking.build_pairs(conn, config, plan.last_profile, table)
    lap("blocking")
    same, different, steward = review.decisions(conn)
    scores = _scores(conn, config, arrays, plan, summary, (same, different))
    summary.weights, summary.classifier = scores.weights, scores.classifier
    lap("scoring")
    decided = grouping.Decided(same, different, steward)
    touched = None
    if plan.mode == "full":
        roots, summary.elders = grouping.group_all(
            conn, config, arrays, scores, decided, summary.run_id
        )
    else:
        last = (plan.last_profile, plan.last_record)
        touched = grouping.group_new(conn, config, arrays, scores, decided, last, summary.run_id)
        summary.touched_elders, summary.reshaped_elders = len(touched), len(touched.reshaped)
        summary.elders = conn.execute(
            "select count(distinct elder_id) from linkage.elder_xref"
        ).fetchone()[0]
        scores, roots = _review_band(conn, config, scores, len(arrays.id_code))
    summary.links_refused_by_rules = components.refused_links(conn)
    lap("clustering")
    summary.review_queue = review.build_queue(conn, scores, roots, config, {*same, *different})
    lap("review")
    reference = date.fromisoformat(summary.reference_date)
    golden.build(conn, reference, touched)
    lap("golden")
    summary.eligible_elders = eligibility.build(conn, reference)
    lap("eligibility")


def _review_band(
    conn: psycopg.Connection, config: Linkage, new: score.Scores, size: int
) -> tuple[score.Scores, np.ndarray]:
    """The stored pairs of the review band, and the elder of each of their profiles (which
    tells, as a root would, whether the two are apart)."""
    band = scored.read(
        conn,
        new,
        "probability >= %s and probability < %s and rule is null",
        (config.review_threshold, config.match_threshold),
    )
    return band, xref.elders_of(conn, size, np.concatenate([band.left, band.right]))


def link(settings: Settings, reference_date: date | str, mode: str = "auto") -> LinkageSummary:
    """Link the four raw tables into linkage.* as of reference_date; safe to rerun.

    mode 'auto' adds only the rows of new load batches when nothing that decides a link has
    changed since the last run (see state.py), else relinks everything; 'full' always
    relinks; 'incremental' is 'auto' (it still relinks when it must, and says why)."""
    summary = LinkageSummary(reference_date=str(reference_date))
    with connect(settings) as conn:
        conn.execute("set local work_mem = '256MB'")  # the golden records sort per attribute
        for module in FEEDS.values():  # a store that has had no delivery yet links nothing
            ensure_tables(conn, module)
        conn.execute(RUNS_DDL)
        summary.run_id = conn.execute(
            "insert into linkage.runs (reference_date) values (%s) returning run_id",
            (summary.reference_date,),
        ).fetchone()[0]
        plan = state.plan(conn, settings.linkage, mode)
        summary.mode, summary.mode_reason = plan.mode, plan.reason
        _steps(conn, settings, summary, plan)
        summary.ops_elders_moved = ops_ids.follow_merges(conn, summary.run_id)
        conn.execute(
            "update linkage.runs set summary = %s where run_id = %s",
            (json.dumps(asdict(summary), default=_plain), summary.run_id),
        )
        report.write(conn, settings.resolve(settings.linkage.report_dir) / "linkage.html")
        conn.commit()
    return summary


def _plain(value):
    return value.item() if isinstance(value, np.generic) else str(value)
