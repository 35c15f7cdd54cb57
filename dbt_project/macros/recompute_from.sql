{#- The first month an incremental run recomputes: `recompute_months` (default 2) before the
    latest month already built into this model, so that late news (a death or a move reported
    after the month, a roster corrected) reaches the recent months. Each recomputed month is
    replaced whole (unique_key = the month column, delete+insert). -#}
{% macro recompute_from(month_column) %}
    (
        select coalesce(max(this_model.{{ month_column }}), date '1900-01-01')
        from {{ this }} as this_model
    ) - interval '{{ var("recompute_months") }} months'
{% endmacro %}
