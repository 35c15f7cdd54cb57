{{
    config(
        indexes=[{'columns': ['month', 'district_code']}],
    )
}}

{#- Service orders per month, district, item and category, with each item's share of the
    district's month and its rank (1 = most requested), for top-item and share charts. -#}
with

orders as (
    select * from {{ ref('fct_service_orders') }}
    where order_kind = 'service' and item_id is not null
),

counted as (
    select
        order_month as month,
        district_code,
        column_name,
        category_name,
        item_name,
        count(*) as orders,
        count(*) filter (where is_served) as served_orders
    from orders
    group by 1, 2, 3, 4, 5
),

reported as (
    select
        counted.*,
        round(
            counted.orders::numeric
            / sum(counted.orders) over (partition by counted.month, counted.district_code),
            4
        ) as share_of_orders,
        rank() over (
            partition by counted.month, counted.district_code order by counted.orders desc
        ) as item_rank
    from counted
),

districts as (
    select * from {{ ref('districts') }}
),

final as (
    select
        reported.*,
        coalesce(districts.district_name, '未知') as district_name
    from reported
    left join districts on reported.district_code = districts.district_code
)

select * from final
