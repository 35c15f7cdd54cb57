{#- A roll-up that adds up: per `group_by` columns, each of the model's columns in `sums`,
    summed, equals its expression over `compare_model` (e.g. elder_count against count(*)).
    Returns the groups where they differ, with the difference; groups on one side only count.
    A union, not a full join: a null group key (no district) must meet its counterpart. -#}
{% test sums_match(model, compare_model, group_by, sums) %}
    {%- set keys = group_by | join(', ') %}
    select
        {{ keys }},
        {%- for column in sums %}
            sum({{ column }}) as {{ column }}_difference{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            {{ keys }},
            {%- for column in sums %}
                {{ column }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ model }}
        union all
        select
            {{ keys }},
            {%- for column, expression in sums.items() %}
                -coalesce({{ expression }}, 0) as {{ column }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ compare_model }}
        group by {{ keys }}
    ) as both_sides
    group by {{ keys }}
    having
        {%- for column in sums %}
            coalesce(sum({{ column }}), 0) <> 0{{ ' or' if not loop.last }}
        {%- endfor %}
{% endtest %}
