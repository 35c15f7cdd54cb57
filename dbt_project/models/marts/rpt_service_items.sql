{{
    config(
        indexes=[
            {'columns': ['month', 'district_code']},
            {'columns': ['month', 'street_code']},
        ],
    )
}}

{#- Service orders per month, district, street, item and category, with each item's share of
    the street's month and its rank there (1 = most requested), for top-item and share charts;
    sum orders over streets for a district. -#}
with

orders as (
    select * from {{ ref('fct_service_orders') }}
    where order_kind = 'service' and item_id is not null
),

counted as (
    select
        order_month as month,
        district_code,
        street_code,
        column_name,
        category_name,
        item_name,
        count(*) as orders,
        count(*) filter (where is_served) as served_orders
    from orders
    group by 1, 2, 3, 4, 5, 6
),

reported as (
    select
        counted.*,
        round(
            counted.orders::numeric
            / sum(counted.orders) over (
                partition by counted.month, counted.district_code, counted.street_code
            ),
            4
        ) as share_of_orders,
        rank() over (
            partition by counted.month, counted.district_code, counted.street_code
            order by counted.orders desc
        ) as item_rank
    from counted
),

districts as (
    select * from {{ ref('districts') }}
),

streets as (
    select * from {{ ref('dim_regions') }}
    where region_level = 'street'
),

final as (
    select
        reported.*,
        coalesce(districts.district_name, '未知') as district_name,
        coalesce(streets.region_name, '未知街道') as street_name
    from reported
    left join districts on reported.district_code = districts.district_code
    left join streets on reported.street_code = streets.region_code
)

select * from final
