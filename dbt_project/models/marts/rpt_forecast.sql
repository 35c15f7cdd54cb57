{#- Forecast for decision support (5.3.1): elders and service requests per district for the
    36 months after the latest month, by ageing today's elders (method in the yml). -#}
with

forecast as (
    {{ elder_forecast("select max(month) from " ~ ref('dim_months'), 36) }}
),

districts as (
    select * from {{ ref('districts') }}
),

final as (
    select
        forecast.*,
        districts.district_name
    from forecast
    inner join districts on forecast.district_code = districts.district_code
)

select * from final
