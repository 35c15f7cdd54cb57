{#- Accepted device events without coordinates (an elder's whereabouts are personal). -#}
with

source as (
    select * from {{ source('ops', 'device_events') }}
),

renamed as (
    select
        -- ids
        id as event_id,
        device_id,
        left(district_code, 6) as district_code,
        street_code,

        -- attributes
        kind as event_kind,
        is_alarm,

        -- timestamps
        occurred_at,
        received_at

    from source
)

select * from renamed
