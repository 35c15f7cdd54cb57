{#- The elder database (dim_elders) summed for the overview dashboard: current elders by
    district, street, age band, ability level and residence in an institution, with the
    division names. A few thousand rows instead of millions, so its charts answer in time
    at Tianjin scale. Sum elder_count over any columns to roll up; the mean age is
    sum(age_sum) / sum(known_age_count) (an elder without a birth date has no age). -#}
with

elders as (
    select * from {{ ref('dim_elders') }}
),

districts as (
    select * from {{ ref('districts') }}
),

streets as (
    select * from {{ ref('dim_regions') }}
    where region_level = 'street'
),

counted as (
    select
        district_code,
        street_code,
        age_band,
        ability_level,
        is_in_institution,
        count(*) as elder_count,
        count(age) as known_age_count,
        coalesce(sum(age), 0) as age_sum
    from elders
    group by 1, 2, 3, 4, 5
),

final as (
    select
        counted.district_code,
        coalesce(districts.district_name, '未知') as district_name,
        counted.street_code,
        coalesce(streets.region_name, '未知街道') as street_name,
        counted.age_band,
        counted.ability_level,
        counted.is_in_institution,
        counted.elder_count,
        counted.known_age_count,
        counted.age_sum
    from counted
    left join districts on counted.district_code = districts.district_code
    left join streets on counted.street_code = streets.region_code
)

select * from final
