"""ensure_tables beside a load: the DDL must not deadlock with a load writing its log row."""

import threading
import time

import psycopg
import pytest

from ingestion import institutions
from ingestion.loader import ensure_tables
from warehouse.connection import connect


def wait_until_blocked_or_done(conn, pid: int, thread: threading.Thread) -> None:
    """Until the session `pid` waits for a lock, or its thread has finished."""
    deadline = time.monotonic() + 10
    while thread.is_alive() and time.monotonic() < deadline:
        waiting = conn.execute(
            "select wait_event_type = 'Lock' from pg_stat_activity where pid = %s", (pid,)
        ).fetchone()
        if waiting and waiting[0]:
            return
        time.sleep(0.02)


@pytest.mark.parametrize(
    "stale", [pytest.param(False, id="schema current"), pytest.param(True, id="schema changed")]
)
def test_ensure_tables_beside_a_load_writing_its_log(conn, settings, stale):
    if stale:  # as after a change to the DDL or the cleaning functions
        conn.execute("delete from raw.applied_ddl")
        conn.commit()
    errors = []
    with connect(settings) as loading, connect(settings) as ensuring, connect(settings) as watch:
        watch.autocommit = True
        # a load has looked up its file in the log, as loader._start_batch does
        loading.execute("select count(*) from raw.load_log")

        def ensure() -> None:
            try:
                ensure_tables(ensuring, institutions)
                ensuring.commit()
            except psycopg.Error as exc:
                errors.append(exc)

        thread = threading.Thread(target=ensure)
        thread.start()
        wait_until_blocked_or_done(watch, ensuring.info.backend_pid, thread)
        try:  # ... and now writes its log row
            loading.execute(
                "insert into raw.load_log (source, source_file, sha256, delivery_month, status,"
                " delivered, loaded, quarantined) values ('institutions', 'x.jsonl', %s,"
                " '2026-10', 'loaded', 0, 0, 0)",
                ("0" * 64,),
            )
            loading.commit()
        except psycopg.Error as exc:
            errors.append(exc)
        thread.join()
    assert errors == []
    assert conn.execute("select count(*) from raw.load_log where source_file = 'x.jsonl'"
                        ).fetchone()[0] == 1  # fmt: skip
