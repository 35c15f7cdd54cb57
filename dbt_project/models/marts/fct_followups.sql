{#- One row per follow-up visit or call, with the order it follows and the month it fell in. -#}
with

followups as (
    select * from {{ ref('stg_ops__followups') }}
),

orders as (
    select * from {{ ref('fct_service_orders') }}
),

final as (
    select
        followups.followup_id,
        followups.order_id,
        date_trunc('month', followups.followed_up_at)::date as followup_month,
        orders.district_code,
        orders.street_code,
        orders.organisation_id,
        orders.item_id,
        followups.followup_method,
        followups.is_resolved,
        followups.satisfaction,
        followups.satisfaction is not null as is_rated,
        followups.satisfaction >= 4 as is_satisfied,
        followups.followed_up_at
    from followups
    inner join orders on followups.order_id = orders.order_id
)

select * from final
