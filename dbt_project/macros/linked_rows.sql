{#- For models built incrementally from the linkage's cross-reference (one row per xref row,
    unique_key = record_id, delete+insert): a run reads only the rows a linkage run linked
    after this model's last build (a new month's rows, and the rows a run moved to another
    elder), each stamped with its `linked_at`. -#}

{#- The predicate on the cross-reference rows to read (in a select from them alone), or
    `true` on a full build. The time is written into the query, not read by a subquery, so
    that the planner sees how few rows a new month brings and looks them up by key. -#}
{% macro linked_since_last_build() %}
    {%- if is_incremental() and execute -%}
        {%- set last = run_query(
            "select max(linked_at)::text from " ~ this
        ).columns[0].values()[0] -%}
        {%- if last is none -%}
            true
        {%- else -%}
            linked_at > '{{ last }}'::timestamptz
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}

{#- Pre-hook: a full relink stamps every xref row anew (and numbers them anew), so the rows
    built before it are dropped and all are read again; between full relinks no xref row is
    ever deleted, so nothing else goes stale. -#}
{% macro drop_rows_of_an_earlier_full_relink() %}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where linked_at < (select min(linked_at) from {{ source('linkage', 'elder_xref') }})
    {%- endif -%}
{% endmacro %}
