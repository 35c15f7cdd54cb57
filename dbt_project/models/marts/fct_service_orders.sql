{{
    config(
        indexes=[
            {'columns': ['order_month', 'district_code']},
            {'columns': ['order_month', 'street_code']},
        ],
    )
}}

{#- One row per service order or consultation received through the operational API, with
    its lifecycle timestamps and durations. The API's elder ids are the elder database's (a
    linkage run that merges two elders moves the API's data to the survivor). -#}
with

orders as (
    select * from {{ ref('stg_ops__orders') }}
),

items as (
    select * from {{ ref('stg_ops__service_items') }}
),

elders as (
    select * from {{ ref('stg_linkage__elders') }}
),

final as (
    select
        orders.order_id,
        orders.order_kind,
        orders.order_state,
        orders.channel,
        date_trunc('month', orders.created_at)::date as order_month,
        orders.district_code,
        orders.street_code,
        orders.community_code,
        md5('ops-elder:' || orders.ops_elder_id::text) as service_user_key,
        md5('elder:' || elders.elder_id::text) as elder_key,
        {{ age_band("date_part('year', age(orders.created_at::date, elders.birth_date))") }}
            as age_band,
        orders.organisation_id,
        orders.staff_id,
        orders.item_id,
        items.item_name,
        items.category_name,
        items.column_name,
        items.standard_minutes,
        orders.dispatch_count,
        orders.service_hours,
        orders.satisfaction,
        orders.service_result,
        orders.referred_to,
        orders.created_at,
        orders.dispatched_at,
        orders.started_at,
        orders.returned_at,
        orders.closed_at,
        orders.cancelled_at,
        orders.due_at,
        orders.order_state = 'cancelled' as is_cancelled,
        orders.started_at is not null as is_served,
        orders.record_accepted_at is not null as is_record_accepted,
        orders.dispatch_count > 1 as is_second_dispatch,
        coalesce(orders.returned_at, orders.answered_at) > orders.due_at as is_overdue,
        extract(epoch from orders.dispatched_at - orders.created_at) / 60.0
            as minutes_to_dispatch,
        extract(epoch from orders.started_at - orders.created_at) / 60.0 as minutes_to_start
    from orders
    left join items on orders.item_id = items.item_id
    left join elders on orders.ops_elder_id = elders.elder_id
)

select * from final
