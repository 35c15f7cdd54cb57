{#- A table, unlike the other staging models: linkage.elders carries the lineage of every
    attribute (6 GB at Tianjin scale, 3.3 million elders, fillfactor 60 for the linkage's
    updates) and five marts and the tests read a few of its columns; they read this narrow
    copy (about 0.4 GB) instead of scanning the wide table each. -#}
{{
    config(
        materialized='table',
        indexes=[
            {'columns': ['elder_id'], 'unique': True},
        ],
    )
}}

with

source as (
    select * from {{ source('linkage', 'elders') }}
),

reference as (
    select * from {{ source('linkage', 'reference') }}
),

renamed as (
    select
        -- ids
        source.elder_id,
        source.district_code,
        source.street_code,
        source.community_code,

        -- dates
        source.birth_date,
        source.death_date,
        reference.reference_date,

        -- attributes
        source.sex,
        date_part('year', age(reference.reference_date, source.birth_date))::integer as age,
        source.ability_level,
        source.hardship_type,
        source.living_situation,
        source.institution_code,
        source.registry_status,
        source.registry_status_on as registry_status_date,
        not('elder' = any(source.roles)) as is_agent_only,
        source.is_eligible,
        source.exclusion_reason,
        source.exclusion_detail,
        coalesce(
            source.institution_code is not null
            and (source.discharged_on is null or source.discharged_on > reference.reference_date),
            false
        ) as is_in_institution

    from source
    cross join reference
)

select * from renamed
