with

source as (
    select * from {{ source('ops', 'complaints') }}
),

renamed as (
    select
        -- ids
        id as complaint_id,
        elder_id as ops_elder_id,
        order_id,
        organisation_id,
        left(district_code, 6) as district_code,
        street_code,
        community_code,

        -- attributes
        source as complaint_source,
        state as complaint_state,

        -- timestamps
        received_at,
        reply_due_at,
        answered_at,
        replied_at,
        closed_at

    from source
)

select * from renamed
