"""The one sealer: chains committed, unsealed audit rows in order, shortly after they land.

Each API process starts a `Sealer` thread; a session advisory lock lets exactly one of them
seal at a time, and another takes over within a few seconds if its process stops. The chain
cannot fork even without the lock: `ops.seal_audit_rows` accepts seals only as the next links
after the chain's head, and `chain_seq` is unique.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Connection, Engine, select, text

from operational_api.audit.models import audit_log
from operational_api.audit.service import GENESIS, row_hash

SEALER_LOCK = 7_202_306  # advisory-lock key held by the sealer's session
BATCH = 2_000
log = logging.getLogger(__name__)


def seal_batch(conn: Connection, limit: int = BATCH) -> int:
    """Seal up to `limit` committed rows, oldest id first; how many were sealed."""
    head = select(audit_log.c.chain_seq, audit_log.c.hash).where(audit_log.c.chain_seq.is_not(None))
    last = conn.execute(head.order_by(audit_log.c.chain_seq.desc()).limit(1)).first()
    seq, prev = last if last else (0, GENESIS)
    pending = select(audit_log).where(audit_log.c.hash.is_(None)).order_by(audit_log.c.id)
    rows = conn.execute(pending.limit(limit)).mappings().all()
    if not rows:
        return 0
    seals = {"ids": [], "seqs": [], "prev_hashes": [], "hashes": []}
    for row in rows:
        seq, digest = seq + 1, row_hash(prev, dict(row))
        for key, value in zip(seals, (row["id"], seq, prev, digest), strict=True):
            seals[key].append(value)
        prev = digest
    conn.execute(text("select ops.seal_audit_rows(:ids, :seqs, :prev_hashes, :hashes)"), seals)
    return len(rows)


def _take_lock(conn: Connection) -> bool:
    taken = conn.execute(text("select pg_try_advisory_lock(:k)"), {"k": SEALER_LOCK}).scalar()
    conn.commit()
    return bool(taken)


def seal_all(engine: Engine) -> int:
    """Seal everything pending now, unless a running sealer holds the lock (it will)."""
    sealed = 0
    with engine.connect() as conn:
        if not _take_lock(conn):
            return 0
        try:
            while n := seal_batch(conn):
                conn.commit()
                sealed += n
        finally:
            conn.rollback()
            conn.execute(text("select pg_advisory_unlock(:k)"), {"k": SEALER_LOCK})
            conn.commit()
    return sealed


class Sealer(threading.Thread):
    """Seals every `interval` seconds while it holds the lock; tries for it every `retry`."""

    def __init__(self, engine: Engine, *, interval: float = 0.1, retry: float = 2.0):
        super().__init__(name="audit-sealer", daemon=True)
        self.engine, self.interval, self.retry = engine, interval, retry
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._serve()
            except Exception:  # the store went away: try again, without losing the thread
                log.exception("audit sealer failed; retrying")
            self.stopping.wait(self.retry)

    def _serve(self) -> None:
        with self.engine.connect() as conn:
            if not _take_lock(conn):
                return
            try:
                while not self.stopping.is_set():
                    full = seal_batch(conn) == BATCH
                    conn.commit()
                    if not full:
                        self.stopping.wait(self.interval)
            finally:
                conn.invalidate()  # closes the session, and with it the advisory lock

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)
