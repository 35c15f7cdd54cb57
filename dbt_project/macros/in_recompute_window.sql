{#- For incremental models: the predicate that keeps only the rows of the months this run
    recomputes, or `true` on a full build. The window starts `recompute_months` (default 2)
    before the latest month already built into this model, so that late news (a death or a
    move reported after the month, a roster corrected) reaches the recent months; each
    recomputed month is replaced whole (unique_key = the month column, month_partitions).
    `value` is the input's month expression, `month_column` this model's month column. -#}
{% macro in_recompute_window(value, month_column=none) %}
    {%- if is_incremental() -%}
        {{ value }} >= (
            select coalesce(max(this_model.{{ month_column or value }}), date '1900-01-01')
            from {{ this }} as this_model
        ) - interval '{{ var("recompute_months") }} months'
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}
