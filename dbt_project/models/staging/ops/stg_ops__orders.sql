with

source as (
    select * from {{ source('ops', 'orders') }}
),

renamed as (
    select
        -- ids
        id as order_id,
        elder_id as ops_elder_id,
        item_id,
        organisation_id,
        staff_id,
        left(district_code, 6) as district_code,
        street_code,
        community_code,

        -- attributes
        kind as order_kind,
        state as order_state,
        channel,
        dispatch_count,
        hours as service_hours,
        result as service_result,
        satisfaction,
        referred_to,

        -- timestamps
        created_at,
        reviewed_at,
        dispatched_at,
        assigned_at,
        started_at,
        returned_at,
        record_accepted_at,
        answered_at,
        closed_at,
        cancelled_at,
        due_at

    from source
)

select * from renamed
