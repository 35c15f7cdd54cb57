{#- Registered devices without their keys or install addresses. -#}
with

source as (
    select * from {{ source('ops', 'devices') }}
),

renamed as (
    select
        -- ids
        id as device_id,
        elder_id as ops_elder_id,
        left(district_code, 6) as district_code,
        street_code,

        -- attributes
        kind as device_kind,
        status as device_status,

        -- timestamps
        registered_at

    from source
)

select * from renamed
