{{
    config(
        materialized='incremental',
        unique_key='month',
        incremental_strategy='month_partitions',
    )
}}

{#- Elder-months per month, district, five-year age group and age band: the exposure the
    forecast's exit and demand rates divide by and the indicators' elder counts, summed once a
    month instead of re-reading every elder-month at each build. Incremental with
    fct_elder_months (in_recompute_window). -#}
with

elder_months as (
    select * from {{ ref('fct_elder_months') }}
    where {{ in_recompute_window('month') }}
),

final as (
    select
        month,
        district_code,
        least(div(age, 5) * 5, 100) as age_group,
        age_band,
        count(*) as elder_months
    from elder_months
    group by 1, 2, 3, 4
)

select * from final
