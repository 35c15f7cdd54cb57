{#- Service organisations: district, streets served, approved items, staff, and the
    organisation type, which is the catalogue column (栏目) most of its approved items are in. -#}
with

organisations as (
    select * from {{ ref('stg_ops__organisations') }}
),

qualifications as (
    select * from {{ ref('stg_ops__qualifications') }}
    where qualification_status = 'approved'
),

items as (
    select * from {{ ref('stg_ops__service_items') }}
),

staff as (
    select
        organisation_id,
        count(*) as staff_count
    from {{ ref('stg_ops__staff') }}
    where is_active
    group by organisation_id
),

streets as (
    select
        organisation_id,
        count(*) as street_count
    from {{ ref('stg_ops__organisation_streets') }}
    group by organisation_id
),

columns_offered as (
    select
        qualifications.organisation_id,
        items.column_name,
        count(*) as item_count
    from qualifications
    inner join items on qualifications.item_id = items.item_id
    group by qualifications.organisation_id, items.column_name
),

main_column as (
    select distinct on (organisation_id)
        organisation_id,
        column_name
    from columns_offered
    order by organisation_id asc, item_count desc, column_name asc
),

approved as (
    select
        organisation_id,
        sum(item_count) as approved_item_count
    from columns_offered
    group by organisation_id
),

final as (
    select
        organisations.organisation_id,
        organisations.organisation_name,
        organisations.district_code,
        coalesce(main_column.column_name, '未定类') as organisation_type,
        organisations.is_online,
        organisations.rating,
        date_trunc('month', organisations.created_at)::date as created_month,
        coalesce(streets.street_count, 0) as street_count,
        coalesce(approved.approved_item_count, 0) as approved_item_count,
        coalesce(staff.staff_count, 0) as staff_count
    from organisations
    left join main_column on organisations.organisation_id = main_column.organisation_id
    left join approved on organisations.organisation_id = approved.organisation_id
    left join staff on organisations.organisation_id = staff.organisation_id
    left join streets on organisations.organisation_id = streets.organisation_id
)

select * from final
