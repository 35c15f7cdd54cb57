{{
    config(
        indexes=[{'columns': ['month', 'area_code']}],
    )
}}

{#- Year-on-year and month-on-month (5.3.1): every indicator, every month, city-wide (area
    120000 全市) and per district, with the previous month, the same month last year and both
    changes. Counts with no activity in a month are 0; a rate with nothing to rate is null. A
    month before the first delivery has no value, so its changes are null. -#}
with

months as (
    select * from {{ ref('dim_months') }}
),

inputs as (
    select * from {{ ref('int_indicator_inputs') }}
),

metrics as (
    select * from {{ ref('indicator_metrics') }}
),

areas as (
    select
        '120000' as area_code,
        '全市' as area_name
    union all
    select
        district_code as area_code,
        district_name as area_name
    from {{ ref('districts') }}
),

grid as (
    select
        months.month,
        areas.area_code,
        areas.area_name,
        metrics.metric,
        metrics.metric_label,
        metrics.is_rate
    from months
    cross join areas
    cross join metrics
),

valued as (
    select
        grid.*,
        case
            when grid.is_rate then round(inputs.numerator / nullif(inputs.denominator, 0), 4)
            else coalesce(inputs.numerator, 0)
        end as metric_value
    from grid
    left join inputs
        on
            grid.month = inputs.month
            and grid.area_code = inputs.area_code
            and grid.metric = inputs.metric
),

final as (
    select
        current_month.month,
        {{ month_choice('current_month.month') }} as month_choice,
        current_month.area_code,
        current_month.area_name,
        current_month.metric,
        current_month.metric_label,
        current_month.is_rate,
        current_month.metric_value,
        previous_month.metric_value as previous_month_value,
        last_year.metric_value as last_year_value,
        {{ change_ratio('current_month.metric_value', 'previous_month.metric_value') }}
            as mom_change,
        {{ change_ratio('current_month.metric_value', 'last_year.metric_value') }}
            as yoy_change
    from valued as current_month
    left join valued as previous_month
        on
            current_month.area_code = previous_month.area_code
            and current_month.metric = previous_month.metric
            and previous_month.month = (current_month.month - interval '1 month')::date
    left join valued as last_year
        on
            current_month.area_code = last_year.area_code
            and current_month.metric = last_year.metric
            and last_year.month = (current_month.month - interval '1 year')::date
)

select * from final
