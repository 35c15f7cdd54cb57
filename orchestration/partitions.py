"""Delivery months: the partitions of every feed asset."""

import dagster as dg

from warehouse.settings import load_settings

delivery_months = dg.MonthlyPartitionsDefinition(
    start_date=load_settings().first_delivery_month,
    fmt="%Y-%m",
    end_offset=1,  # the current month takes deliveries while it runs
)
