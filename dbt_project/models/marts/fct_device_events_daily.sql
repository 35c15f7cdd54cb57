{{
    config(
        materialized='incremental',
        unique_key=['event_date', 'district_code', 'street_code', 'device_kind', 'event_kind'],
        incremental_strategy='delete+insert',
        indexes=[{'columns': ['event_date', 'district_code']}],
    )
}}

{#- Device events (5.5.2) per day, street, device kind and event kind: events, alarms and
    devices reporting. Daily, not per event: telemetry is large and its coordinates are
    personal. Incremental: each run recomputes the last three days. -#}
with

events as (
    select * from {{ ref('stg_ops__device_events') }}
    {% if is_incremental() %}
        where occurred_at >= (
            select coalesce(max(this_model.event_date), date '1900-01-01')
            from {{ this }} as this_model
        ) - interval '3 days'
    {% endif %}
),

devices as (
    select * from {{ ref('stg_ops__devices') }}
),

final as (
    select
        (events.occurred_at at time zone 'Asia/Shanghai')::date as event_date,
        coalesce(events.district_code, '未知') as district_code,
        coalesce(events.street_code, '未知') as street_code,
        devices.device_kind,
        events.event_kind,
        count(*) as events,
        count(*) filter (where events.is_alarm) as alarms,
        count(distinct events.device_id) as devices_reporting
    from events
    inner join devices on events.device_id = devices.device_id
    group by 1, 2, 3, 4, 5
)

select * from final
