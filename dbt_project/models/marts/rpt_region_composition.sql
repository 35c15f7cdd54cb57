{#- Work memory for hashing the groups (0.5 million of 12 million elder-months at Tianjin
    scale): at the default 64 MB the planner sorts every elder-month instead, four times as
    slow. `set local` ends with the model's transaction. -#}
{{
    config(
        materialized='incremental',
        unique_key='month',
        incremental_strategy='month_partitions',
        indexes=[
            {'columns': ['month', 'district_code']},
            {'columns': ['month', 'street_code']},
            {'columns': ['month_choice', 'district_code']},
        ],
        pre_hook="set local work_mem = '256MB'",
    )
}}

{#- Regional composition (5.3.1): elders per month by district, street and community, age
    band, sex and ability level, with the division names. Sum elder_count over any columns
    to roll up. Incremental with fct_elder_months (in_recompute_window). -#}
with

elder_months as (
    select * from {{ ref('fct_elder_months') }}
    where {{ in_recompute_window('month') }}
),

regions as (
    select * from {{ ref('dim_regions') }}
),

districts as (
    select * from {{ ref('districts') }}
),

counted as (
    select
        month,
        district_code,
        street_code,
        community_code,
        age_band,
        case sex when 1 then '男' when 2 then '女' else '未知' end as sex,
        coalesce(ability_level, '未评估') as ability_level,
        count(*) as elder_count
    from elder_months
    group by 1, 2, 3, 4, 5, 6, 7
),

final as (
    select
        counted.month,
        {{ month_choice('counted.month') }} as month_choice,
        counted.district_code,
        districts.district_name,
        counted.street_code,
        coalesce(streets.region_name, '未知街道') as street_name,
        counted.community_code,
        coalesce(communities.region_name, '未知社区') as community_name,
        counted.age_band,
        counted.sex,
        counted.ability_level,
        counted.elder_count
    from counted
    left join districts on counted.district_code = districts.district_code
    left join regions as streets
        on counted.street_code = streets.region_code and streets.region_level = 'street'
    left join regions as communities
        on
            counted.community_code = communities.region_code
            and communities.region_level = 'community'
)

select * from final
