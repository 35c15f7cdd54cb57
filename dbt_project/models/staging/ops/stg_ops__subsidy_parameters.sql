with

source as (
    select * from {{ source('ops', 'subsidy_parameters') }}
),

renamed as (
    select
        -- ids
        id as parameter_id,
        replaces_id as replaces_parameter_id,

        -- dates
        effective_from,
        effective_to,

        -- attributes
        subsidy_type,
        hardship_type,
        age_min,
        age_max,
        ability_level,
        residence,
        amount_fen,
        status as parameter_status,
        is_assumed,
        source_note,

        -- timestamps
        created_at,
        approved_at

    from source
)

select * from renamed
