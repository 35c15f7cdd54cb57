{{
    config(
        indexes=[
            {'columns': ['elder_id'], 'unique': True},
            {'columns': ['elder_key'], 'unique': True},
        ],
    )
}}

{#- The elder database (standard 5.2.2): one row per living elder aged 60 or over at the
    reference date, registered in, living in, or served or paid in Tianjin. No ID numbers,
    names or phones: elder_key is the pseudonymous key for BI. -#}
with

elders as (
    select * from {{ ref('stg_linkage__elders') }}
),

final as (
    select
        elder_id,
        md5('elder:' || elder_id::text) as elder_key,
        left(district_code, 6) as district_code,
        street_code,
        community_code,
        sex,
        birth_date,
        age,
        {{ age_band('age') }} as age_band,
        coalesce(ability_level, '未评估') as ability_level,
        hardship_type,
        living_situation,
        is_in_institution,
        reference_date
    from elders
    where is_eligible
)

select * from final
