"""Orchestration: the only package that imports Dagster."""

import warnings

# Feed assets use single-run backfills (one run for all delivery months); Dagster flags the
# parameter as beta on every import, which is noise to operators.
warnings.filterwarnings("ignore", message=".*backfill_policy.*", module="dagster")
