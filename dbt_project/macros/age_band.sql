{#- The age bands every report uses, from an age in whole years. -#}
{% macro age_band(age) -%}
    case
        when {{ age }} is null then '未知'
        when {{ age }} < 70 then '60-69'
        when {{ age }} < 80 then '70-79'
        when {{ age }} < 90 then '80-89'
        when {{ age }} < 100 then '90-99'
        else '100+'
    end
{%- endmacro %}
