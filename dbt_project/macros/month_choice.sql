{#- The month as a dashboard's month filter offers it: '最新月份' for the latest delivered month
    (the last of dim_months), else YYYY-MM. A column of the mart rather than an expression of
    the Superset dataset, so that the dashboards' default filter (最新月份) reads one month by
    its index instead of labelling every row. Incremental marts stay right: the month that was
    the latest lies in the next build's recompute window, and is labelled again. -#}
{% macro month_choice(month) %}
    case
        when {{ month }} = (select max(latest.month) from {{ ref('dim_months') }} as latest)
            then '最新月份'
        else to_char({{ month }}, 'YYYY-MM')
    end
{% endmacro %}
