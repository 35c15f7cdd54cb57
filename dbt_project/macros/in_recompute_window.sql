{#- For incremental models: the predicate that keeps only the rows of the months this run
    recomputes, or `true` on a full build. The window starts `recompute_months` (default 2)
    before the latest month already built into this model, so that late news (a death or a
    move reported after the month, a roster corrected) reaches the recent months; each
    recomputed month is replaced whole (unique_key = the month column, month_partitions).
    The window's first month is looked up when the model runs and written into its query as a
    date: as a subquery the planner could not know it, took the window for one month where
    there were three, and planned fct_subsidy_entitlements for 170 thousand elder-months
    instead of 9 million (Tianjin scale: 119 s where a full build of four months takes 50).
    `value` is the input's month expression, `month_column` this model's month column. -#}
{% macro in_recompute_window(value, month_column=none) %}
    {%- if is_incremental() and execute -%}
        {%- set first = run_query(
            "select to_char(coalesce(max(" ~ (month_column or value) ~ "), date '1900-01-01')"
            ~ " - interval '" ~ var('recompute_months') ~ " months', 'YYYY-MM-DD') from " ~ this
        ).columns[0].values()[0] -%}
        {{ value }} >= date '{{ (first | string)[:10] }}'
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}
