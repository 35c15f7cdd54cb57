{#- Elders in the elder database by district, all 16 districts listed. -#}
with

elders as (
    select * from {{ ref('dim_elders') }}
),

districts as (
    select * from {{ ref('districts') }}
),

counted as (
    select
        district_code,
        count(*) as elder_count
    from elders
    group by district_code
),

final as (
    select
        districts.district_code,
        districts.district_name,
        (select max(months.month_end) from {{ ref('dim_months') }} as months) as reference_date,
        coalesce(counted.elder_count, 0) as elder_count
    from districts
    left join counted on districts.district_code = counted.district_code
)

select * from final
