with

source as (
    select * from {{ source('ops', 'qualifications') }}
),

renamed as (
    select
        -- ids
        id as qualification_id,
        organisation_id,
        item_id,

        -- attributes
        status as qualification_status,

        -- timestamps
        applied_at,
        decided_at

    from source
)

select * from renamed
