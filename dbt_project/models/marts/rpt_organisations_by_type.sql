{#- Organisations and staff by type (5.3.2) and district: organisations, online ones, active
    staff and approved service items. -#}
with

organisations as (
    select * from {{ ref('dim_organisations') }}
),

districts as (
    select * from {{ ref('districts') }}
),

final as (
    select
        organisations.district_code,
        districts.district_name,
        organisations.organisation_type,
        count(*) as organisations,
        count(*) filter (where organisations.is_online) as online_organisations,
        sum(organisations.staff_count) as staff,
        sum(organisations.approved_item_count) as approved_items,
        round(avg(organisations.rating), 2) as mean_rating
    from organisations
    inner join districts on organisations.district_code = districts.district_code
    group by 1, 2, 3
)

select * from final
