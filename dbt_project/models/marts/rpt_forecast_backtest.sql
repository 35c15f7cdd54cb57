{#- The forecast method run from 12 months before the latest month and compared, month by
    month and district by district, with the elders and requests that were then observed. -#}
with

forecast as (
    {{ elder_forecast("select max(month) - interval '12 months' from " ~ ref('dim_months'), 12) }}
),

observed_elders as (
    select
        month,
        district_code,
        count(*) as elders
    from {{ ref('fct_elder_months') }}
    group by 1, 2
),

observed_requests as (
    select
        order_month as month,
        district_code,
        count(*) as requests
    from {{ ref('fct_service_orders') }}
    where order_kind = 'service'
    group by 1, 2
),

reported as (
    select
        forecast.origin_month,
        forecast.month,
        forecast.horizon,
        forecast.district_code,
        forecast.projected_elders,
        coalesce(observed_elders.elders, 0) as observed_elders,
        {{ safe_ratio(
            'abs(forecast.projected_elders - coalesce(observed_elders.elders, 0))',
            'observed_elders.elders'
        ) }} as elders_abs_pct_error,
        forecast.projected_requests,
        coalesce(observed_requests.requests, 0) as observed_requests,
        {{ safe_ratio(
            'abs(forecast.projected_requests - coalesce(observed_requests.requests, 0))',
            'observed_requests.requests'
        ) }} as requests_abs_pct_error
    from forecast
    left join observed_elders
        on
            forecast.month = observed_elders.month
            and forecast.district_code = observed_elders.district_code
    left join observed_requests
        on
            forecast.month = observed_requests.month
            and forecast.district_code = observed_requests.district_code
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
