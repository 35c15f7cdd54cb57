{#- Needed services (5.3.2), overall and by age band: service requests per month, street, age
    band and catalogue category, for elders the elder database knows (age from their birth
    date). Sum requests over streets for a district. -#}
with

orders as (
    select * from {{ ref('fct_service_orders') }}
    where order_kind = 'service'
),

reported as (
    select
        order_month as month,
        district_code,
        street_code,
        age_band,
        coalesce(column_name, '未分类') as column_name,
        coalesce(category_name, '未分类') as category_name,
        count(*) as requests,
        count(distinct service_user_key) as people_requesting
    from orders
    group by 1, 2, 3, 4, 5, 6
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
