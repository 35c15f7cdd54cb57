{#- Elders and service requests per district for `horizon` months after the origin month,
    by ageing the elders in the database at the origin (method in rpt_forecast.yml). Only
    data up to the origin is used, so the same macro backtests: forecast from an earlier
    origin and compare with what happened. `origin_sql` is a query returning one date. -#}
{% macro elder_forecast(origin_sql, horizon) %}
with

origin as (
    select
        ({{ origin_sql }})::date as origin_month,
        (({{ origin_sql }})::date + interval '1 month - 1 day')::date as origin_end
),

history as not materialized (
    select elder_months.*
    from {{ ref('fct_elder_months') }} as elder_months
    cross join origin
    where elder_months.month <= origin.origin_month
),

elders as (
    select * from {{ ref('stg_linkage__elders') }}
    where not is_agent_only and birth_date is not null
),

exposure_by_month as (
    select by_age.*
    from {{ ref('agg_elder_months_by_age') }} as by_age
    cross join origin
    where by_age.month <= origin.origin_month
),

exposure as (
    select
        age_group,
        sum(elder_months) as elder_months
    from exposure_by_month
    where age_group is not null
    group by 1
),

exits as (
    select
        least(div(date_part('year', age(exit_date, birth_date))::int, 5) * 5, 100) as age_group,
        count(*) as exits
    from (
        select
            elders.birth_date,
            least(
                elders.death_date,
                case when elders.registry_status = '迁出' then elders.registry_status_date end
            ) as exit_date
        from elders
        where exists (
            select 1 from history
            where history.elder_id = elders.elder_id
        )
    ) as leaving
    cross join origin
    where
        leaving.exit_date >= (select min(exposure_by_month.month) from exposure_by_month)
        and leaving.exit_date <= origin.origin_end
    group by 1
),

exit_rates as (
    select
        exposure.age_group,
        -- double precision: the survival product below takes a logarithm per cohort-month,
        -- which in numeric costs seconds
        coalesce(exits.exits, 0)::double precision / exposure.elder_months as monthly_exit_rate
    from exposure
    left join exits on exposure.age_group = exits.age_group
),

in_database as (
    select
        history.district_code,
        date_trunc('month', elders.birth_date)::date as birth_month
    from history
    cross join origin
    inner join elders on history.elder_id = elders.elder_id
    where history.month = origin.origin_month and history.district_code is not null
),

registered_59 as (
    select
        spans.district_code,
        date_trunc('month', elders.birth_date)::date as birth_month
    from elders
    cross join origin
    inner join {{ ref('int_elder_address_spans') }} as spans
        on
            elders.elder_id = spans.elder_id
            and spans.address_kind = 'registry'
            and spans.valid_from <= origin.origin_month
            and (spans.valid_until is null or spans.valid_until > origin.origin_month)
    where
        elders.birth_date > origin.origin_end - interval '60 years'
        and elders.birth_date <= origin.origin_end - interval '59 years'
        and (elders.death_date is null or elders.death_date > origin.origin_end)
        and not coalesce(
            elders.registry_status = '迁出'
            and coalesce(elders.registry_status_date, elders.reference_date) <= origin.origin_end,
            false
        )
),

later_cohorts as (
    select
        registered_59.district_code,
        (registered_59.birth_month + make_interval(years => years_later.k))::date as birth_month
    from registered_59
    cross join (values (1), (2)) as years_later (k)
),

cohorts as (
    select
        district_code,
        birth_month,
        count(*) as people
    from (
        select * from in_database
        union all
        select * from registered_59
        union all
        select * from later_cohorts
    ) as everyone
    group by 1, 2
),

steps as (
    select
        cohorts.district_code,
        cohorts.birth_month,
        cohorts.people,
        horizons.horizon,
        (origin.origin_month + make_interval(months => horizons.horizon))::date as month,
        date_part(
            'year',
            age(
                (origin.origin_month + make_interval(months => horizons.horizon)
                 + interval '1 month - 1 day')::date,
                cohorts.birth_month
            )
        )::int as age
    from cohorts
    cross join origin
    cross join generate_series(1, {{ horizon }}) as horizons (horizon)
),

survival as (
    select
        steps.*,
        exp(sum(ln(1 - least(coalesce(exit_rates.monthly_exit_rate, 0), 0.999))) over (
            partition by steps.district_code, steps.birth_month
            order by steps.horizon
        )) as surviving_share
    from steps
    left join exit_rates
        on exit_rates.age_group = least(greatest(div(steps.age, 5) * 5, 60), 100)
),

request_rates as (
    select
        orders.age_band,
        count(*)::numeric as requests
    from {{ ref('fct_service_orders') }} as orders
    cross join origin
    where
        orders.order_kind = 'service'
        and orders.order_month > origin.origin_month - interval '12 months'
        and orders.order_month <= origin.origin_month
    group by 1
),

band_exposure as (
    select
        exposure_by_month.age_band,
        sum(exposure_by_month.elder_months)::numeric as elder_months
    from exposure_by_month
    cross join origin
    where exposure_by_month.month > origin.origin_month - interval '12 months'
    group by 1
),

demand as (
    select
        band_exposure.age_band,
        coalesce(request_rates.requests, 0) / band_exposure.elder_months
        * coalesce(
            (select sum(requests) from request_rates)
            / nullif((select sum(requests) from request_rates where age_band <> '未知'), 0),
            1
        ) as requests_per_elder_month
    from band_exposure
    left join request_rates on band_exposure.age_band = request_rates.age_band
    where band_exposure.age_band <> '未知'
),

projected as (
    select
        survival.district_code,
        survival.month,
        survival.horizon,
        sum(survival.people * survival.surviving_share)::numeric as projected_elders,
        sum(
            survival.people * survival.surviving_share
            * coalesce(demand.requests_per_elder_month, 0)
        )::numeric as projected_requests
    from survival
    left join demand on demand.age_band = {{ age_band('survival.age') }}
    where survival.age >= 60
    group by 1, 2, 3
)

select
    origin.origin_month,
    projected.month,
    projected.horizon,
    projected.district_code,
    round(projected.projected_elders, 1) as projected_elders,
    round(projected.projected_requests, 1) as projected_requests
from projected
cross join origin
{% endmacro %}
