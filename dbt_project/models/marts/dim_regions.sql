{#- Tianjin's divisions flattened: one row per division at every level, with its ancestors'
    codes and names, so that a report at any level can roll up or drill down. -#}
with

regions as (
    select * from {{ ref('stg_reference__regions') }}
),

districts as (
    select * from {{ ref('districts') }}
),

final as (
    select
        regions.region_code,
        regions.region_level,
        regions.region_name,
        regions.district_code,
        districts.district_name,
        case
            when regions.region_level in ('street', 'community', 'grid')
                then left(regions.region_code, 9) || '000'
        end as street_code,
        streets.region_name as street_name,
        case
            when regions.region_level in ('community', 'grid')
                then left(regions.region_code, 12)
        end as community_code,
        communities.region_name as community_name
    from regions
    inner join districts on regions.district_code = districts.district_code
    left join regions as streets
        on
            streets.region_level = 'street'
            and streets.region_code = left(regions.region_code, 9) || '000'
            and regions.region_level in ('street', 'community', 'grid')
    left join regions as communities
        on
            communities.region_level = 'community'
            and communities.region_code = left(regions.region_code, 12)
            and regions.region_level in ('community', 'grid')
)

select * from final
