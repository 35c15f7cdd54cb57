{{
    config(
        indexes=[{'columns': ['month', 'district_code']}],
    )
}}

{#- Call-centre service (5.3.2, 5.5.1) per month and district: tickets by kind, escalated,
    answered, referred, turned into service orders, the median minutes to answer, and device
    alarms. -#}
with

months as (
    select * from {{ ref('dim_months') }}
),

districts as (
    select * from {{ ref('districts') }}
),

tickets as (
    select * from {{ ref('fct_call_tickets') }}
),

alarms as (
    select
        date_trunc('month', event_date)::date as month,
        district_code,
        sum(alarms) as device_alarms
    from {{ ref('fct_device_events_daily') }}
    group by 1, 2
),

counted as (
    select
        ticket_month as month,
        district_code,
        count(*) as tickets,
        count(*) filter (where ticket_kind = 'one_key') as one_key_calls,
        count(*) filter (where ticket_kind = 'alarm') as alarm_tickets,
        count(*) filter (where ticket_kind = 'consultation') as consultations,
        count(*) filter (where is_escalated) as escalated,
        count(*) filter (where answered_at is not null) as answered,
        count(*) filter (where referred_to is not null) as referred,
        count(*) filter (where has_order) as led_to_orders,
        percentile_cont(0.5) within group (order by minutes_to_answer) as median_minutes_to_answer
    from tickets
    group by 1, 2
),

final as (
    select
        months.month,
        districts.district_code,
        districts.district_name,
        coalesce(counted.tickets, 0) as tickets,
        coalesce(counted.one_key_calls, 0) as one_key_calls,
        coalesce(counted.alarm_tickets, 0) as alarm_tickets,
        coalesce(counted.consultations, 0) as consultations,
        coalesce(counted.escalated, 0) as escalated,
        coalesce(counted.answered, 0) as answered,
        coalesce(counted.referred, 0) as referred,
        coalesce(counted.led_to_orders, 0) as led_to_orders,
        round(counted.median_minutes_to_answer::numeric, 1) as median_minutes_to_answer,
        coalesce(alarms.device_alarms, 0) as device_alarms
    from months
    cross join districts
    left join counted
        on months.month = counted.month and districts.district_code = counted.district_code
    left join alarms
        on months.month = alarms.month and districts.district_code = alarms.district_code
)

select * from final
