"""copy_frame's binary COPY: every supported type, NULLs in each, text that a CSV would have to
quote, and buffers that split the frame; read back as written. In rolled-back transactions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from quality.linkage import copying
from quality.linkage.copying import copy_frame
from warehouse.connection import connect

TABLE = """create temp table copied (
    small smallint, whole integer, big bigint, single real, double double precision,
    flag boolean, words text, code character(6), label character varying, born date,
    seen timestamp with time zone)"""
WORDS = ["王秀英", "阿依古丽·买买提", None, "", "tab\there", "line\nbreak", "back\\slash", "\\N"]


def _frame(rows: int) -> pd.DataFrame:
    numbers = np.arange(rows)
    return pd.DataFrame(
        {
            "small": (numbers % 5).astype(np.int16),
            "whole": [None if n % 7 == 3 else n * 1000 for n in numbers],
            "big": numbers.astype(np.int64) * 10_000_000_000,
            "single": np.float32(0.5) * numbers,
            "double": np.where(numbers % 4 == 1, np.nan, numbers / 3),
            "flag": [None if n % 3 == 0 else bool(n % 2) for n in numbers],
            "words": [WORDS[n % len(WORDS)] for n in numbers],
            "code": ["120101" if n % 2 else None for n in numbers],
            "label": [f"第{n}行" for n in numbers],
            "born": [None if n % 6 == 5 else date(1930 + n % 60, 1 + n % 12, 1) for n in numbers],
            "seen": [datetime(2026, 11, 27, 8, n % 60, tzinfo=UTC) for n in numbers],
        }
    )


def _read(conn) -> list[tuple]:
    return conn.execute("select * from copied order by big").fetchall()


def _expected(frame: pd.DataFrame) -> list[tuple]:
    frame = frame.astype(object).where(frame.notna(), None)
    return [tuple(row) for row in frame.itertuples(index=False, name=None)]


@pytest.mark.parametrize("batch", [copying.BATCH, 7])
def test_every_type_and_null_reads_back_as_written(settings, monkeypatch, batch):
    monkeypatch.setattr(copying, "BATCH", batch)
    frame = _frame(50)
    with connect(settings) as conn:
        conn.execute(TABLE)
        copy_frame(conn, "copied", frame)
        rows = _read(conn)
        conn.rollback()
    assert rows == _expected(frame)
    assert {row[6] for row in rows} == set(WORDS)  # tabs, newlines, backslashes, "\N" intact
    assert rows[3][1] is None and rows[1][4] is None and rows[0][5] is None


def test_an_empty_frame_copies_nothing(settings):
    with connect(settings) as conn:
        conn.execute(TABLE)
        copy_frame(conn, "copied", _frame(0))
        rows = _read(conn)
        conn.rollback()
    assert rows == []


def test_an_unknown_column_or_an_unsupported_type_is_refused_by_name(settings):
    with connect(settings) as conn:
        conn.execute(TABLE)
        conn.execute("alter table copied add column amount numeric")
        with pytest.raises(ValueError, match="copied has no column nickname"):
            copy_frame(conn, "copied", pd.DataFrame({"nickname": ["x"]}))
        with pytest.raises(ValueError, match="numeric"):
            copy_frame(conn, "copied", pd.DataFrame({"amount": [1.5]}))
        conn.rollback()


def test_numbers_without_nulls_are_copied_as_laid_out(settings):
    """No byte to drop: the tuples are the structured array's bytes as they are."""
    frame = _frame(30)[["small", "big", "double", "seen"]].fillna({"double": -1.5})
    with connect(settings) as conn:
        conn.execute(TABLE)
        copy_frame(conn, "copied", frame)
        rows = conn.execute("select small, big, double, seen from copied order by big").fetchall()
        conn.rollback()
    assert rows == _expected(frame) and rows[1][2] == -1.5
