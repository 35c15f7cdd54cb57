"""Whether a run may link only what is new, and the model it then scores with.

A run is incremental when the last run left its working tables, every load batch it linked
is still in the raw layer, and nothing that decides a link has changed since: the `linkage:`
settings, the stewards' decisions (they train the classifier and constrain the clusters), the
version of the linkage code and the golden records' rules. Anything else relinks everything.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass

import psycopg

from quality.linkage.golden import RULES
from quality.linkage.review import DECISIONS_DDL
from warehouse.settings import Linkage

VERSION = 5  # raise when a change to the linkage code must relink everything
MODES = ("auto", "full", "incremental")
WORKING = ("person_records", "profile_keys", "profiles", "candidate_pairs", "scored_pairs",
           "score_histogram", "components", "elder_xref", "model")  # fmt: skip
MODEL_DDL = """create table if not exists linkage.model (
    fingerprint text not null, about jsonb not null, model bytea not null)"""


@dataclass
class Plan:
    """What this run does: mode 'full' or 'incremental', and why."""

    mode: str
    reason: str
    fingerprint: str
    last_profile: int = 0  # the profiles (and records) a new month's come after
    last_record: int = 0


def fingerprint(conn: psycopg.Connection, config: Linkage) -> str:
    """A hash of the settings that decide links, the stewards' decisions, VERSION and the
    golden records' survivorship rules (a new month adds golden rows of the same columns)."""
    conn.execute(DECISIONS_DDL)
    decisions = conn.execute(
        "select left_source_file, left_source_row, right_source_file, right_source_row,"
        " decision from linkage.review_decisions order by decision_id"
    ).fetchall()
    settings = config.model_dump(mode="json", exclude={"report_dir"})
    text = json.dumps([VERSION, settings, decisions, RULES], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _exists(conn: psycopg.Connection, table: str) -> bool:
    return conn.execute("select to_regclass(%s)", (f"linkage.{table}",)).fetchone()[0] is not None


def plan(conn: psycopg.Connection, config: Linkage, mode: str) -> Plan:
    """Incremental if asked (or 'auto') and possible, else full, with the reason."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    current = fingerprint(conn, config)
    if mode == "full":
        return Plan("full", "asked for a full relink", current)
    if not all(_exists(conn, table) for table in WORKING):
        return Plan("full", "no earlier linkage to add to", current)
    if conn.execute("select fingerprint from linkage.model").fetchone() != (current,):
        return Plan("full", "linkage settings, steward decisions or the model changed", current)
    gone = conn.execute(
        """select count(*) from (select distinct load_batch from linkage.person_records) b
        where not exists (select 1 from raw.load_log l where l.load_batch = b.load_batch)"""
    ).fetchone()[0]
    if gone:
        return Plan("full", f"{gone} linked load batches are no longer in the raw layer", current)
    last_profile, last_record = conn.execute(
        "select (select coalesce(max(profile_id), 0) from linkage.profile_keys),"
        " (select coalesce(max(record_id), 0) from linkage.person_records)"
    ).fetchone()
    return Plan("incremental", "new load batches only", current, last_profile, last_record)


def save_model(conn: psycopg.Connection, fingerprint_: str, model: object, about: dict) -> None:
    """Keep the model that scored this run's pairs, for the months that follow (none when
    there were too few pairs to fit one: the next run is then a full one)."""
    conn.execute(MODEL_DDL)
    conn.execute("truncate linkage.model")
    if model is None:
        return
    conn.execute(
        "insert into linkage.model (fingerprint, about, model) values (%s, %s, %s)",
        (fingerprint_, json.dumps(about), pickle.dumps(model)),
    )


def load_model(conn: psycopg.Connection) -> tuple[object, dict]:
    """The model of the last full run and what it says of itself."""
    about, blob = conn.execute("select about, model from linkage.model").fetchone()
    return pickle.loads(blob), about  # written by save_model in this store, not from outside
