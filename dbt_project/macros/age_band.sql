{#- The age bands every report uses, from an age in whole years (under 60 counts as 60-69). The
    age is written once, so an expression such as date_part('year', age(…)) is computed once per
    row, not once per band. -#}
{% macro age_band(age) -%}
    coalesce(
        (array['60-69', '70-79', '80-89', '90-99', '100+'])[
            width_bucket({{ age }}, array[70, 80, 90, 100]) + 1
        ],
        '未知'
    )
{%- endmacro %}
