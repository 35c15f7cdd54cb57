with

source as (
    select * from {{ source('linkage', 'elders') }}
),

renamed as (
    select
        -- ids
        elder_id,
        district_code,
        street_code,
        community_code,

        -- dates
        birth_date,
        death_date,
        reference_date,

        -- attributes
        sex,
        age,
        ability_level,
        hardship_type,
        living_situation,
        institution_code,
        registry_status,
        registry_status_on as registry_status_date,
        not('elder' = any(roles)) as is_agent_only,
        is_eligible,
        exclusion_reason,
        exclusion_detail,
        coalesce(
            institution_code is not null
            and (discharged_on is null or discharged_on > reference_date),
            false
        ) as is_in_institution

    from source
)

select * from renamed
