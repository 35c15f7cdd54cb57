with

source as (
    select * from {{ source('ops', 'supervisions') }}
),

renamed as (
    select
        -- ids
        id as supervision_id,
        order_id,
        organisation_id,
        elder_id as ops_elder_id,
        left(district_code, 6) as district_code,
        street_code,
        community_code,

        -- attributes
        trigger as supervision_trigger,
        method as supervision_method,
        state as supervision_state,

        -- timestamps
        opened_at,
        closed_at

    from source
)

select * from renamed
