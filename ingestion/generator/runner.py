"""generate(): build the world, then stream every feed month by month, then the truth tables."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import civil_affairs, gov_services, public_security, residents, subsidies
from .agents import Agents
from .context import EVENTS, INSTITUTIONS, POPULATION, Context, stream
from .defects import DefectRates
from .dynamics import simulate
from .facilities import build_institutions
from .months import DateText, month_range
from .population import build_population
from .readme import write_readme
from .regions import build_regions, write_regions
from .truth import TruthSink
from .truth_tables import write_monthly_counts, write_persons

SOURCES = ("public_security", "civil_affairs", "institutions", "gov_services")


@dataclass
class GenerationSummary:
    """What one run delivered and how fast."""

    files: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    persons: int = 0
    elapsed_seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        """Delivered data rows over all sources (totals rows included)."""
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        """Delivered rows per second of the whole run."""
        return self.total_rows / self.elapsed_seconds if self.elapsed_seconds else 0.0


def _world(out_dir: Path, truth_dir: Path, elders: int, months, seed: int, rates) -> Context:
    regions = build_regions()
    write_regions(regions, out_dir / "reference" / "regions.csv")
    pop = build_population(stream(seed, POPULATION), regions, elders, months)
    institutions = build_institutions(stream(seed, INSTITUTIONS), regions, elders)
    events = simulate(stream(seed, EVENTS), pop, regions, institutions, months)
    return Context(
        out_dir,
        seed,
        rates,
        months,
        regions,
        pop,
        events,
        institutions,
        DateText(),
        TruthSink(truth_dir),
    )


def generate(
    out_dir: Path,
    truth_dir: Path,
    *,
    elders: int = 2000,
    months: tuple[str, str] = ("2024-10", "2026-10"),
    seed: int = 20261126,
    defects: DefectRates = DefectRates(),  # noqa: B008 (frozen, so a shared default is safe)
    progress: Callable[[str], None] | None = None,
) -> GenerationSummary:
    """Write a landing folder of sample feeds and, separately, the truth behind them."""
    began = time.perf_counter()
    say = progress or (lambda _message: None)
    out_dir, truth_dir = Path(out_dir), Path(truth_dir)
    ctx = _world(out_dir, truth_dir, elders, month_range(*months), seed, defects)
    say(f"world: {len(ctx.pop)} people, {len(ctx.institutions.code)} institutions")
    registry = public_security.registry(ctx)
    ghosts, died = subsidies.ghost_months(ctx), subsidies.death_month(ctx)
    agents = Agents(ctx)
    try:
        for month in ctx.months:
            public_security.write_month(ctx, month, registry)
            civil_affairs.write_month(ctx, month, ghosts, died)
            residents.write_month(ctx, month)
            gov_services.write_month(ctx, month, agents)
            say(f"{month.label}: {sum(ctx.truth.rows.values())} rows so far")
    finally:
        ctx.truth.close()
    persons = write_persons(ctx, truth_dir / "persons.csv", agents, registry.legacy, ghosts)
    write_monthly_counts(ctx, truth_dir / "monthly_counts.csv")
    write_readme(truth_dir / "README.md", ctx.rates)
    return GenerationSummary(
        files={s: ctx.truth.files[s] for s in SOURCES},
        rows={s: ctx.truth.rows[s] for s in SOURCES},
        persons=persons,
        elapsed_seconds=time.perf_counter() - began,
    )
