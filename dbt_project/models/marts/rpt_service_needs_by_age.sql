{#- Needed services (5.3.2), overall and by age band: service requests per month, age band
    and catalogue category, for elders the elder database knows (age from their birth date). -#}
with

orders as (
    select * from {{ ref('fct_service_orders') }}
    where order_kind = 'service'
),

reported as (
    select
        order_month as month,
        district_code,
        age_band,
        coalesce(column_name, '未分类') as column_name,
        coalesce(category_name, '未分类') as category_name,
        count(*) as requests,
        count(distinct service_user_key) as people_requesting
    from orders
    group by 1, 2, 3, 4, 5
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
