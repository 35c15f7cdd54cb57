{#- Service supply by street (5.3.1): the organisations that serve each street and the
    service items they are approved for, by organisation type and catalogue column. -#}
with

organisation_streets as (
    select * from {{ ref('stg_ops__organisation_streets') }}
),

organisations as (
    select * from {{ ref('dim_organisations') }}
),

qualifications as (
    select * from {{ ref('stg_ops__qualifications') }}
    where qualification_status = 'approved'
),

items as (
    select * from {{ ref('dim_service_items') }}
),

regions as (
    select * from {{ ref('dim_regions') }}
    where region_level = 'street'
),

final as (
    select
        regions.district_code,
        regions.district_name,
        regions.region_code as street_code,
        regions.region_name as street_name,
        organisations.organisation_type,
        items.column_name,
        count(distinct organisations.organisation_id) as organisation_count,
        count(distinct items.item_id) as item_count
    from organisation_streets
    inner join organisations
        on organisation_streets.organisation_id = organisations.organisation_id
    inner join regions on organisation_streets.street_code = regions.region_code
    left join qualifications
        on organisations.organisation_id = qualifications.organisation_id
    left join items on qualifications.item_id = items.item_id
    group by 1, 2, 3, 4, 5, 6
)

select * from final
