{{
    config(
        indexes=[{'columns': ['ticket_month', 'district_code']}],
    )
}}

{#- One row per call-centre ticket (5.5.1): one-key calls, device alarms and consultations,
    with minutes to answer, escalation and the service order it led to. -#}
with

tickets as (
    select * from {{ ref('stg_ops__call_tickets') }}
),

final as (
    select
        ticket_id,
        ticket_kind,
        ticket_state,
        alarm_kind,
        date_trunc('month', opened_at)::date as ticket_month,
        district_code,
        street_code,
        md5('ops-elder:' || ops_elder_id::text) as service_user_key,
        device_id,
        order_id,
        referred_to,
        opened_at,
        answered_at,
        closed_at,
        escalated_at is not null as is_escalated,
        order_id is not null as has_order,
        round(extract(epoch from answered_at - opened_at) / 60.0, 1) as minutes_to_answer
    from tickets
)

select * from final
