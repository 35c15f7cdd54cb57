{#- The incremental strategy of the marts built by month (incremental_strategy='month_partitions',
    unique_key = their month column, a date on the first of the month). Each month's rows are a
    partition of the mart, kept in the schema `partitions` (which the readers cannot see; they
    read the mart); a run fills a new table for each month it recomputed, indexes it, and swaps
    it for that month's partition. delete+insert removed the recomputed months' rows and
    inserted them again through the mart's indexes: at Tianjin scale 120 s of a 177 s run of
    fct_elder_months (9.1 million rows), and it left as many dead rows for autovacuum.
    Like delete+insert, a month the run computed no rows for keeps the rows it had.
    A full build (dbt's own) leaves a plain table; the next run turns it into a partitioned one,
    copying the months it does not recompute into their partitions. -#}
{% macro get_incremental_month_partitions_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'].include(database=False) -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set month = adapter.quote(arg_dict['unique_key']) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set months = _partition_months('select distinct ' ~ month ~ ' from ' ~ source) -%}
    {%- set partitioned = run_query(
        "select relkind = 'p' from pg_class where oid = '" ~ target ~ "'::regclass"
    ).columns[0].values()[0] -%}
    {%- set kept = [] if partitioned else _partition_months(
        'select distinct ' ~ month ~ ' from ' ~ target ~ ' except select distinct '
        ~ month ~ ' from ' ~ source
    ) %}

    {%- if not partitioned %}
        {%- set plain = target.incorporate(path={'identifier': target.identifier ~ '__plain'}) %}
    alter table {{ target }} rename to {{ plain.identifier }};
    create table {{ target }} (like {{ plain }}) partition by range ({{ month }});
        {%- for index in config.get('indexes', default=[]) %}
    {{ get_create_index_sql(target, index) }};
        {%- endfor %}
        {%- for kept_month in kept %}
    {{ _fill_month_partition(target, plain, month, columns, kept_month) }}
        {%- endfor %}
    drop table {{ plain }};
    {%- endif %}
    {%- for new_month in months %}
    {{ _fill_month_partition(target, source, month, columns, new_month) }}
    {%- endfor %}
    {%- for filled_month in kept + months %}
        {%- set partition = _month_partition(target, filled_month) %}
    drop table if exists {{ partition }};
    alter table {{ partition.incorporate(path={'identifier': partition.identifier ~ '__new'}) }}
        rename to {{ partition.identifier }};
    alter table {{ target }} attach partition {{ partition }}
        for values from ('{{ filled_month.first }}') to ('{{ filled_month.next }}');
    {%- endfor %}
    {%- if not months %}
    select 'no month to replace'
    {%- endif %}
{% endmacro %}

{#- The months a query returns, each as {first, next, suffix}: its first day, the first day of the
    month after, and YYYYMM. A value not on the first of a month stops the run. -#}
{% macro _partition_months(query) %}
    {%- set found = run_query(
        "select to_char(m, 'YYYY-MM-DD'), to_char(m + interval '1 month', 'YYYY-MM-DD'),"
        ~ " to_char(m, 'YYYYMM'), m = date_trunc('month', m) from (" ~ query ~ ") as q (m)"
        ~ " where m is not null order by 1"
    ) -%}
    {%- set months = [] -%}
    {%- for row in found.rows -%}
        {%- if not row[3] -%}
            {{ exceptions.raise_compiler_error(
                this ~ ": month_partitions needs months on their first day, got " ~ row[0]
            ) }}
        {%- endif -%}
        {%- do months.append({
            'first': (row[0] | string)[:10],
            'next': (row[1] | string)[:10],
            'suffix': (row[2] | string)[:6],
        }) -%}
    {%- endfor -%}
    {{ return(months) }}
{% endmacro %}

{#- The partition of a month: the mart's name and the month, in the schema `partitions`. -#}
{% macro _month_partition(target, month) %}
    {{ return(target.incorporate(path={
        'schema': 'partitions',
        'identifier': target.identifier ~ '__' ~ month.suffix,
    })) }}
{% endmacro %}

{#- A month's rows from `rows` into a new table shaped like the mart (named as its partition,
    with __new), with the mart's indexes and the check that lets ATTACH skip its scan. -#}
{% macro _fill_month_partition(target, rows, month_column, columns, month) %}
    {%- set partition = _month_partition(target, month) -%}
    {%- set filled = partition.incorporate(path={'identifier': partition.identifier ~ '__new'}) -%}
    create table {{ filled }} (like {{ target }});
    insert into {{ filled }} ({{ columns }})
        select {{ columns }} from {{ rows }} where {{ month_column }} = '{{ month.first }}';
    alter table {{ filled }} add check (
        {{ month_column }} is not null
        and {{ month_column }} >= '{{ month.first }}' and {{ month_column }} < '{{ month.next }}'
    );
    {%- for index in config.get('indexes', default=[]) %}
    {{ get_create_index_sql(filled, index) }};
    {%- endfor %}
{% endmacro %}
