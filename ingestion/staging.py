"""Staging delivered files: their rows, as delivered, COPYed into a temporary table.

The stage has the file's load batch (several small files of a month share one stage and one
cleaning statement), the row locator, the reason a row could not be read (if so), and one text
column per delivered column (c1, c2, ...), so a reordered or extra column costs nothing and
the cleaning SQL picks fields by the positions the header mapped. The feed's own reader still
parses the file (csv, python-calamine, json): PostgreSQL's COPY (FORMAT csv) could decode
GB18030 by itself, but it fails the whole file on one cut line, where the contract loads the
whole rows and quarantines the cut one; Python's csv module parses in C and keeps that promise.
JSON Lines likewise: a line that is not JSON is quarantined alone, and PostgreSQL 15 has no
cast to jsonb that fails softly (pg_input_is_valid came in 16).
"""

from __future__ import annotations

import csv
import io

from psycopg import sql

from ingestion.reading import Delivered, as_text

STAGE = "stage_delivered"
BATCH_ROWS = 5000


def create_stage(cur, width: int) -> None:
    """An empty stage for files of `width` delivered columns (dropped at commit)."""
    cells = sql.SQL(", ").join(
        sql.SQL("{} text").format(sql.Identifier(f"c{i + 1}")) for i in range(width)
    )
    cur.execute(sql.SQL("drop table if exists pg_temp.{}").format(sql.Identifier(STAGE)))
    cur.execute(
        sql.SQL(
            "create temp table {} (load_batch bigint not null, source_row integer not null,"
            " problem_reason text, problem_message text, {}) on commit drop"
        ).format(sql.Identifier(STAGE), cells)
    )


def stage(cur, delivered: Delivered, batch: int, width: int, *, cells_as_text=False) -> None:
    """COPY the file's rows into the stage (create_stage, at least as wide as the file) under
    its load batch; cells_as_text turns typed cells into text first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    empty = [None] * width
    statement = sql.SQL("copy {} from stdin (format csv)").format(sql.Identifier(STAGE))
    with cur.copy(statement) as copy:
        for count, row in enumerate(delivered.rows, start=1):
            if row.problem:
                writer.writerow((batch, row.locator, *row.problem, row.cells[0], *empty[1:]))
                continue
            cells = row.cells
            if cells_as_text:
                cells = [v if v.__class__ is str else as_text(v) for v in cells]
            if len(cells) != width:
                cells = (list(cells) + empty)[:width]
            writer.writerow((batch, row.locator, None, None, *cells))
            if count % BATCH_ROWS == 0:
                copy.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        copy.write(buffer.getvalue())
