{#- Work memory for hashing the groups (0.2 million of 12 million elder-months at Tianjin
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

{#- Elder statistics (5.3.2): elders per month, district and street by living situation,
    ability level, hardship (income) type, elder type and age band. Elder type: 特困 and 低保
    and 低收入 elders are 困难老人; in an institution 机构养老; else 居家养老. Incremental with
    fct_elder_months (in_recompute_window). -#}
with

elder_months as (
    select * from {{ ref('fct_elder_months') }}
    where {{ in_recompute_window('month') }}
),

reported as (
    select
        month,
        district_code,
        street_code,
        age_band,
        coalesce(living_situation, '未知') as living_situation,
        coalesce(ability_level, '未评估') as ability_level,
        coalesce(hardship_type, '无') as hardship_type,
        case
            when is_in_institution then '机构养老'
            else '居家养老'
        end as care_setting,
        case
            when hardship_type in ('特困', '低保', '低收入') then '经济困难老人'
            when ability_level in ('重度失能', '完全失能') then '失能老人'
            when age >= 80 then '高龄老人'
            else '一般老人'
        end as elder_type,
        count(*) as elder_count
    from elder_months
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
),

districts as (
    select * from {{ ref('districts') }}
),

streets as (
    select * from {{ ref('dim_regions') }}
    where region_level = 'street'
),

final as (
    select
        reported.*,
        {{ month_choice('reported.month') }} as month_choice,
        coalesce(districts.district_name, '未知') as district_name,
        coalesce(streets.region_name, '未知街道') as street_name
    from reported
    left join districts on reported.district_code = districts.district_code
    left join streets on reported.street_code = streets.region_code
)

select * from final
