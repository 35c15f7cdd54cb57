{#- Service staff without names or phones: organisation, type, and when they joined. -#}
with

staff as (
    select * from {{ ref('stg_ops__staff') }}
),

organisations as (
    select * from {{ ref('dim_organisations') }}
),

final as (
    select
        staff.staff_id,
        staff.organisation_id,
        organisations.district_code,
        organisations.organisation_type,
        staff.is_active,
        date_trunc('month', staff.created_at)::date as joined_month
    from staff
    inner join organisations on staff.organisation_id = organisations.organisation_id
)

select * from final
