{#- numerator ÷ denominator to four places; null when there is nothing to divide by. -#}
{% macro safe_ratio(numerator, denominator) -%}
    round(({{ numerator }})::numeric / nullif({{ denominator }}, 0), 4)
{%- endmacro %}
