with

source as (
    select * from {{ source('ops', 'organisation_streets') }}
),

renamed as (
    select
        -- ids
        organisation_id,
        street_code

    from source
)

select * from renamed
