{#- Relative change from `previous` to `current` (0.1 = +10 %). Null when either is missing
    (no history yet) or the previous value is zero (no base to compare with). -#}
{% macro change_ratio(current, previous) -%}
    case
        when {{ previous }} is null or {{ current }} is null or {{ previous }} = 0 then null
        else round(({{ current }} - {{ previous }}) / {{ previous }}, 4)
    end
{%- endmacro %}
