with

source as (
    select * from {{ source('ops', 'organisations') }}
),

renamed as (
    select
        -- ids
        id as organisation_id,
        left(district_code, 6) as district_code,

        -- attributes
        name as organisation_name,
        is_online,
        grab_enabled as is_grab_enabled,
        rating,

        -- timestamps
        created_at

    from source
)

select * from renamed
