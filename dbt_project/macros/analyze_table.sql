{#- The post-hook of every model and seed (dbt_project.yml): statistics for a table just built,
    nothing for a view (rendered empty, so dbt runs no statement). -#}
{% macro analyze_table() %}
    {%- if model.config.materialized in ('table', 'incremental', 'seed') -%}
        analyze {{ this }}
    {%- endif -%}
{% endmacro %}
