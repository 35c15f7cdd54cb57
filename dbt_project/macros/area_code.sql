{#- In a query grouped by grouping sets ((month, district), (month)): the district's code, or
    120000 (全市, the city) on the city-wide row. Rows without a district drop out (null). -#}
{% macro area_code(district_column) -%}
    case when grouping({{ district_column }}) = 1 then '120000' else {{ district_column }} end
{%- endmacro %}
