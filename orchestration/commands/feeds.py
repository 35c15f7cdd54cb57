"""`eldercare feeds`: the sample-feed generator."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Annotated

import typer

from ingestion.generator import DefectRates, generate
from orchestration.commands.common import console, errors, settings
from warehouse.settings import Settings

app = typer.Typer(help="Sample feeds that follow the contracts, with ground truth.")

DEFECT_NAMES = [item.name for item in fields(DefectRates)]


def _rates(overrides: dict[str, float]) -> DefectRates:
    unknown = sorted(set(overrides) - set(DEFECT_NAMES))
    if unknown:
        errors.print(f"[red]error:[/] unknown defect {unknown}; known: {', '.join(DEFECT_NAMES)}")
        raise typer.Exit(2)
    return DefectRates(**overrides)


def _parse_defects(pairs: list[str]) -> dict[str, float]:
    parsed = {}
    for pair in pairs:
        name, _, rate = pair.partition("=")
        try:
            parsed[name.strip()] = float(rate)
        except ValueError:
            errors.print(f"[red]error:[/] --defect wants name=rate, got '{pair}'")
            raise typer.Exit(2) from None
    return parsed


def generate_sample(
    config: Settings,
    out: Path | None = None,
    truth: Path | None = None,
    elders: int | None = None,
    months: str | None = None,
    seed: int | None = None,
    defects: dict[str, float] | None = None,
) -> None:
    """Write a landing folder and its truth; unset arguments come from warehouse.yml."""
    sample = config.sample
    if out is None:
        out, truth = config.resolve(sample.landing), truth or config.resolve(sample.truth)
    truth = truth or out.parent / f"{out.name}_truth"
    first, last = (months or sample.months).split(":")
    rates = _rates({**sample.defect_rates, **(defects or {})})
    console.print(f"generating {elders or sample.elders:,} elders, {first} to {last}, into {out}")
    summary = generate(
        out, truth, elders=elders or sample.elders, months=(first, last),
        seed=sample.seed if seed is None else seed, defects=rates,
        progress=lambda message: console.print(f"  [dim]{message}[/]"),
    )  # fmt: skip
    for source, count in summary.rows.items():
        console.print(f"  {source}: {summary.files[source]:,} files, {count:,} rows")
    console.print(
        f"{summary.total_rows:,} rows in {summary.elapsed_seconds:.1f} s "
        f"({summary.rows_per_second:,.0f} rows/s); truth in {truth}"
    )


@app.command("generate")
def generate_command(
    out: Annotated[Path | None, typer.Option(help="Landing folder to write.")] = None,
    truth: Annotated[
        Path | None, typer.Option(help="Truth folder (default: beside --out).")
    ] = None,
    elders: Annotated[int | None, typer.Option(help="Number of elders.", min=1)] = None,
    months: Annotated[
        str | None, typer.Option(help="Delivery months, e.g. 2024-10:2026-10.")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed; the same seed gives the same bytes.")
    ] = None,
    defect: Annotated[
        list[str] | None, typer.Option(help="Defect rate override, name=rate (repeatable).")
    ] = None,
) -> None:
    """Write sample feeds for the four agencies, and the truth tests and benchmarks use."""
    generate_sample(settings(), out, truth, elders, months, seed, _parse_defects(defect or []))
