"""Where validation results live: the `quality` schema, examples by lineage locator only."""

from __future__ import annotations

RESULTS_DDL = (
    """
    create table if not exists quality.validation_results (
        validation_id bigint generated always as identity primary key,
        run_id text not null,
        validated_at timestamptz not null default now(),
        suite text not null,
        delivery_month char(7),
        check_name text not null,
        severity text not null check (severity in ('error', 'warning')),
        success boolean not null,
        threshold numeric not null,
        observed numeric,
        element_count integer not null,
        unexpected_count integer not null,
        message text not null
    )
    """,
    """
    create table if not exists quality.validation_examples (
        validation_id bigint not null references quality.validation_results on delete cascade,
        source_file text not null,
        source_row integer
    )
    """,
)
