"""The truth folder: what was delivered where, with which defects, and the anomalies planted."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np

from .lines import ints, write_rows

RECORD_COLUMNS = str.split("source source_file source_row person_id applicant_person_id defects")
ANOMALY_COLUMNS = ("kind", "person_id", "month", "source_file", "source_row")


def _text(ids: np.ndarray | None, n: int) -> np.ndarray | list[str]:
    """person ids as text, empty where missing (-1 or None)."""
    if ids is None:
        return [""] * n
    ids = np.asarray(ids, dtype=np.int64)
    out = ints(ids)
    out[ids < 0] = ""
    return out


class TruthSink:
    """Streams records.csv and anomalies.csv and counts what each source delivered."""

    def __init__(self, truth_dir: Path) -> None:
        truth_dir.mkdir(parents=True, exist_ok=True)
        self._records_file = (truth_dir / "records.csv").open("w", encoding="utf-8", newline="")
        self._anomalies_file = (truth_dir / "anomalies.csv").open("w", encoding="utf-8", newline="")
        self._records = csv.writer(self._records_file, lineterminator="\n")
        self._anomalies = csv.writer(self._anomalies_file, lineterminator="\n")
        self._records.writerow(RECORD_COLUMNS)
        self._anomalies.writerow(ANOMALY_COLUMNS)
        self.rows: Counter[str] = Counter()
        self.files: Counter[str] = Counter()

    def delivered(self, source: str, file: str) -> None:
        """Count one delivered file."""
        self.files[source] += 1

    def record(
        self,
        source: str,
        file: str,
        rows: np.ndarray,
        person_ids: np.ndarray,
        defects: np.ndarray,
        applicants: np.ndarray | None = None,
    ) -> None:
        """One truth row per delivered row (person_id -1 for a totals row)."""
        n = len(rows)
        self.rows[source] += n
        columns = [
            [source] * n,
            [file] * n,
            ints(rows),
            _text(person_ids, n),
            _text(applicants, n),
            defects,
        ]
        write_rows(self._records_file, self._records, columns)

    def anomalies(
        self, kind: str, person_ids: np.ndarray, month: str, file: str, rows: np.ndarray
    ) -> None:
        """Planted subsidy anomalies and the delivered rows that carry them."""
        n = len(rows)
        self._anomalies.writerows(
            zip(
                [kind] * n,
                _text(person_ids, n),
                [month] * n,
                [file] * n,
                np.asarray(rows).tolist(),
                strict=True,
            )
        )

    def close(self) -> None:
        """Flush and close both files."""
        self._records_file.close()
        self._anomalies_file.close()
