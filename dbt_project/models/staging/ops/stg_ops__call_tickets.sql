{#- Call-centre tickets without the question, answer or location (free text and places). -#}
with

source as (
    select * from {{ source('ops', 'call_tickets') }}
),

renamed as (
    select
        -- ids
        id as ticket_id,
        elder_id as ops_elder_id,
        device_id,
        event_id,
        order_id,
        left(district_code, 6) as district_code,
        street_code,
        community_code,

        -- attributes
        kind as ticket_kind,
        state as ticket_state,
        alarm_kind,
        referred_to,

        -- timestamps
        opened_at,
        escalated_at,
        answered_at,
        closed_at

    from source
)

select * from renamed
