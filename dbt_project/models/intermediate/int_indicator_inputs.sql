{#- The 5.3.1 indicators per month and area (each district, and 全市 as area 120000), as a
    numerator and, for rates, a denominator, so that a rate is never averaged. -#}
with

months as (
    select * from {{ ref('dim_months') }}
),

elder_months_by_age as (
    select * from {{ ref('agg_elder_months_by_age') }}
),

organisations as (
    select * from {{ ref('dim_organisations') }}
),

staff as (
    select * from {{ ref('dim_staff') }}
),

orders as (
    select * from {{ ref('fct_service_orders') }}
    where order_kind = 'service'
),

followups as (
    select * from {{ ref('fct_followups') }}
    where is_rated
),

elders as (
    select
        month,
        {{ area_code('district_code') }} as area_code,
        'elders' as metric,
        sum(elder_months)::numeric as numerator,
        null::numeric as denominator
    from elder_months_by_age
    group by grouping sets ((month, district_code), (month))
),

organisations_open as (
    select
        months.month,
        {{ area_code('organisations.district_code') }} as area_code,
        'organisations' as metric,
        count(*)::numeric as numerator,
        null::numeric as denominator
    from months
    inner join organisations on months.month >= organisations.created_month
    group by grouping sets ((months.month, organisations.district_code), (months.month))
),

staff_employed as (
    select
        months.month,
        {{ area_code('staff.district_code') }} as area_code,
        'staff' as metric,
        count(*)::numeric as numerator,
        null::numeric as denominator
    from months
    inner join staff on months.month >= staff.joined_month and staff.is_active
    group by grouping sets ((months.month, staff.district_code), (months.month))
),

requests as (
    select
        order_month as month,
        {{ area_code('district_code') }} as area_code,
        'service_requests' as metric,
        count(*)::numeric as numerator,
        null::numeric as denominator
    from orders
    group by grouping sets ((order_month, district_code), (order_month))
),

served as (
    select
        date_trunc('month', started_at)::date as month,
        {{ area_code('district_code') }} as area_code,
        'people_served' as metric,
        count(distinct service_user_key)::numeric as numerator,
        null::numeric as denominator
    from orders
    where is_served
    group by grouping sets (
        (date_trunc('month', started_at)::date, district_code),
        (date_trunc('month', started_at)::date)
    )
),

satisfaction as (
    select
        followup_month as month,
        {{ area_code('district_code') }} as area_code,
        'satisfaction_rate' as metric,
        count(*) filter (where is_satisfied)::numeric as numerator,
        count(*)::numeric as denominator
    from followups
    group by grouping sets ((followup_month, district_code), (followup_month))
),

unioned as (
    select * from elders
    union all
    select * from organisations_open
    union all
    select * from staff_employed
    union all
    select * from requests
    union all
    select * from served
    union all
    select * from satisfaction
),

final as (
    select * from unioned
    where area_code is not null
)

select * from final
