{{
    config(
        indexes=[
            {'columns': ['month', 'district_code']},
            {'columns': ['month', 'street_code']},
        ],
    )
}}

{#- Business and service statistics (5.3.2) per month, district and street. The rates are
    defined in rpt_service_statistics.yml; their numerators and denominators are columns too,
    so a roll-up (to the district, the city, several months) divides sums rather than
    averaging rates. -#}
with

months as (
    select * from {{ ref('dim_months') }}
),

districts as (
    select * from {{ ref('districts') }}
),

orders as (
    select * from {{ ref('fct_service_orders') }}
),

followups as (
    select * from {{ ref('fct_followups') }}
),

complaints as (
    select * from {{ ref('fct_complaints') }}
),

supervisions as (
    select * from {{ ref('fct_supervisions') }}
),

streets as (
    select * from {{ ref('dim_regions') }}
    where region_level = 'street'
),

by_order_month as (
    select
        order_month as month,
        district_code,
        street_code,
        count(*) filter (where order_kind = 'service') as service_orders,
        count(*) filter (where order_kind = 'consultation') as consultations,
        count(*) filter (where order_kind = 'service' and is_cancelled) as cancelled_orders,
        count(*) filter (where order_kind = 'service' and is_served) as served_orders,
        count(*) filter (where is_overdue) as overdue_orders,
        count(*) filter (where is_second_dispatch) as second_dispatch_orders
    from orders
    group by 1, 2, 3
),

by_return_month as (
    select
        date_trunc('month', returned_at)::date as month,
        district_code,
        street_code,
        count(distinct service_user_key) as people_served,
        sum(service_hours) as service_hours,
        round(sum(standard_minutes) / 60.0, 2) as standard_hours
    from orders
    where returned_at is not null
    group by 1, 2, 3
),

rated as (
    select
        followup_month as month,
        district_code,
        street_code,
        count(*) filter (where is_rated) as rated_followups,
        count(*) filter (where is_satisfied) as satisfied_followups
    from followups
    group by 1, 2, 3
),

complained as (
    select
        complaint_month as month,
        district_code,
        street_code,
        count(*) as complaints
    from complaints
    group by 1, 2, 3
),

supervised as (
    select
        supervision_month as month,
        district_code,
        street_code,
        count(*) as supervisions
    from supervisions
    group by 1, 2, 3
),

-- every street of the reference, and any other street (or none) a record names
divisions as (
    select
        district_code,
        region_code as street_code
    from streets
    union
    select
        district_code,
        street_code
    from by_order_month
    union
    select
        district_code,
        street_code
    from by_return_month
    union
    select
        district_code,
        street_code
    from rated
    union
    select
        district_code,
        street_code
    from complained
    union
    select
        district_code,
        street_code
    from supervised
),

grid as (
    select
        months.month,
        districts.district_code,
        districts.district_name,
        divisions.street_code,
        coalesce(streets.region_name, '未知街道') as street_name
    from months
    cross join divisions
    inner join districts on divisions.district_code = districts.district_code
    left join streets on divisions.street_code = streets.region_code
),

joined as (
    select
        grid.month,
        grid.district_code,
        grid.district_name,
        grid.street_code,
        grid.street_name,
        coalesce(by_order_month.service_orders, 0) as service_orders,
        coalesce(by_order_month.consultations, 0) as consultations,
        coalesce(by_order_month.cancelled_orders, 0) as cancelled_orders,
        coalesce(by_order_month.served_orders, 0) as served_orders,
        coalesce(by_order_month.overdue_orders, 0) as overdue_orders,
        coalesce(by_order_month.second_dispatch_orders, 0) as second_dispatch_orders,
        coalesce(by_return_month.people_served, 0) as people_served,
        coalesce(by_return_month.service_hours, 0) as service_hours,
        coalesce(by_return_month.standard_hours, 0) as standard_hours,
        coalesce(rated.rated_followups, 0) as rated_followups,
        coalesce(rated.satisfied_followups, 0) as satisfied_followups,
        coalesce(complained.complaints, 0) as complaints,
        coalesce(supervised.supervisions, 0) as supervisions
    from grid
    left join by_order_month
        on
            grid.month = by_order_month.month
            and grid.district_code = by_order_month.district_code
            and grid.street_code is not distinct from by_order_month.street_code
    left join by_return_month
        on
            grid.month = by_return_month.month
            and grid.district_code = by_return_month.district_code
            and grid.street_code is not distinct from by_return_month.street_code
    left join rated
        on
            grid.month = rated.month
            and grid.district_code = rated.district_code
            and grid.street_code is not distinct from rated.street_code
    left join complained
        on
            grid.month = complained.month
            and grid.district_code = complained.district_code
            and grid.street_code is not distinct from complained.street_code
    left join supervised
        on
            grid.month = supervised.month
            and grid.district_code = supervised.district_code
            and grid.street_code is not distinct from supervised.street_code
),

final as (
    select
        joined.*,
        sum(joined.service_hours) over (
            partition by joined.district_code, joined.street_code order by joined.month
        ) as cumulative_service_hours,
        {{ safe_ratio('served_orders', 'service_orders - cancelled_orders') }} as service_rate,
        {{ safe_ratio('service_hours', 'standard_hours') }} as work_hour_completion_rate,
        {{ safe_ratio('satisfied_followups', 'rated_followups') }} as satisfaction_rate
    from joined
)

select * from final
