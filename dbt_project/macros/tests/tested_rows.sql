{#- The rows a generic test reads: dbt wraps every tested model in get_where_subquery.
    A model rebuilt by month (incremental, unique_key a month column) is tested on the months
    a build can have written: from `recompute_months` + 1 months before its latest month (one
    more, as the build may have added a month), and rows without a month; every row with
    --full-refresh or `--vars '{test_all_months: true}'`. The other
    months were tested when they were written, and every key of these tests holds within a
    month. Relationships tests still read every row, since a relink can retire an elder id
    that older months keep. -#}
{% macro postgres__get_where_subquery(relation) -%}
    {%- set window = recomputed_months_predicate(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set conditions = [where, window] | select | list -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- For a test of a model rebuilt by month (`relation`), the predicate on its month column;
    else ''. -#}
{% macro recomputed_months_predicate(relation) -%}
    {%- if not execute or flags.FULL_REFRESH or var('test_all_months', false) -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set attached = model.get('attached_node') -%}
    {%- set tested = graph.nodes.get(attached) if attached else none -%}
    {%- set test_name = (model.get('test_metadata') or {}).get('name') -%}
    {%- if tested is none or test_name == 'relationships' -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set month_column = tested.config.get('unique_key') -%}
    {%- if tested.config.materialized != 'incremental' or month_column is not string
        or 'month' not in month_column -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set months = var('recompute_months') + 1 -%}
    {%- do return(
        "(" ~ month_column ~ " is null or " ~ month_column ~ " >= (select max(" ~ month_column
        ~ ") from " ~ relation ~ ") - interval '" ~ months ~ " months')"
    ) -%}
{%- endmacro %}
