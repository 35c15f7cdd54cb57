"""What every feed writer shares: the world, the rates, the output folders and the truth sink."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .defects import DefectRates
from .dynamics import Events
from .facilities import Institutions
from .months import DateText, Month
from .population import Population
from .regions import Regions
from .truth import TruthSink

# Keys of the independent random streams, so one feed's draws never shift another's.
POPULATION, EVENTS, INSTITUTIONS, AGENTS = 1, 2, 3, 4
PUBLIC_SECURITY, CIVIL_AFFAIRS, RESIDENTS, GOV_SERVICES = 10, 20, 30, 40
STICKY = 99


def stream(seed: int, *keys: int) -> np.random.Generator:
    """A random stream determined by the seed and the keys alone."""
    return np.random.default_rng([seed, *keys])


@dataclass
class Context:
    """The generated world and where its feeds go."""

    out: Path
    seed: int
    rates: DefectRates
    months: list[Month]
    regions: Regions
    pop: Population
    events: Events
    institutions: Institutions
    dates: DateText
    truth: TruthSink

    def rng(self, *keys: int) -> np.random.Generator:
        """The run's random stream for the given keys."""
        return stream(self.seed, *keys)

    def path(self, source: str, month: Month, name: str) -> tuple[Path, str]:
        """Absolute path of a delivery file and its name relative to the landing root."""
        relative = f"{source}/{month.label}/{name}"
        target = self.out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target, relative

    def person_ids(self, idx: np.ndarray) -> np.ndarray:
        """Public person_id of population rows."""
        return np.asarray(idx, dtype=np.int64) + 1
