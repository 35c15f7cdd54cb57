{{
    config(
        indexes=[
            {'columns': ['month', 'district_code']},
            {'columns': ['month', 'street_code']},
        ],
    )
}}

{#- Call-centre service (5.3.2, 5.5.1) per month, district and street: tickets by kind,
    escalated, answered, referred, turned into service orders, the median minutes to answer,
    and device alarms. Counts sum over streets to a district; the median does not. -#}
with

months as (
    select * from {{ ref('dim_months') }}
),

districts as (
    select * from {{ ref('districts') }}
),

streets as (
    select * from {{ ref('dim_regions') }}
    where region_level = 'street'
),

tickets as (
    select * from {{ ref('fct_call_tickets') }}
),

alarms as (
    select
        date_trunc('month', event_date)::date as month,
        district_code,
        nullif(street_code, '未知') as street_code,
        sum(alarms) as device_alarms
    from {{ ref('fct_device_events_daily') }}
    group by 1, 2, 3
),

counted as (
    select
        ticket_month as month,
        district_code,
        street_code,
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
    group by 1, 2, 3
),

-- every street of the reference, and any other street (or none) a ticket or alarm names
divisions as (
    select
        district_code,
        region_code as street_code
    from streets
    union
    select
        district_code,
        street_code
    from counted
    union
    select
        district_code,
        street_code
    from alarms
),

final as (
    select
        months.month,
        districts.district_code,
        districts.district_name,
        divisions.street_code,
        coalesce(streets.region_name, '未知街道') as street_name,
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
    cross join divisions
    inner join districts on divisions.district_code = districts.district_code
    left join streets on divisions.street_code = streets.region_code
    left join counted
        on
            months.month = counted.month
            and divisions.district_code = counted.district_code
            and divisions.street_code is not distinct from counted.street_code
    left join alarms
        on
            months.month = alarms.month
            and divisions.district_code = alarms.district_code
            and divisions.street_code is not distinct from alarms.street_code
)

select * from final
