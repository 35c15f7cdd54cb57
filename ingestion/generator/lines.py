"""CSV text built with one C-level join per block, falling back to csv.writer when a value
would need quoting."""

from __future__ import annotations

import numpy as np

_SPECIAL = (",", '"', "\n", "\r")


def ints(values: np.ndarray) -> np.ndarray:
    """Integers as text (faster than astype(str) for object output)."""
    return np.array(list(map(str, np.asarray(values).tolist())), dtype=object)


def _plain(col: np.ndarray) -> bool:
    joined = "".join(col.tolist())
    return not any(ch in joined for ch in _SPECIAL)


def write_rows(f, writer, columns: list, end: str = "\n") -> None:
    """Write rows of text columns to f; rows that need quoting go through writer instead."""
    cols = [np.asarray(c, dtype=object) for c in columns]
    if not cols or not len(cols[0]):
        return
    if not all(_plain(c) for c in cols):
        writer.writerows(zip(*cols, strict=True))
        return
    grid = np.empty((len(cols[0]), 2 * len(cols)), dtype=object)
    for j, col in enumerate(cols):
        grid[:, 2 * j] = col
        grid[:, 2 * j + 1] = ","
    grid[:, -1] = end
    f.write("".join(grid.ravel().tolist()))
