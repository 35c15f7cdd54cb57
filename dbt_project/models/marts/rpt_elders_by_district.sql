{#- Thin slice: living registered elders by district, counted from the public-security
    extracts. The Elder-database issue replaces the source with golden records. -#}
with

persons as (
    select * from {{ ref('stg_public_security__persons') }}
),

districts as (
    select * from {{ ref('districts') }}
),

latest as (
    select distinct on (id_number)
        id_number,
        district_code,
        birth_date,
        is_active
    from persons
    order by id_number asc, source_file desc, source_row desc
),

elders as (
    select
        district_code,
        count(*) as elder_count
    from latest
    where
        is_active
        and birth_date <= date '{{ var("reference_date") }}' - interval '60 years'
    group by district_code
),

final as (
    select
        districts.district_code,
        districts.district_name,
        date '{{ var("reference_date") }}' as reference_date,
        coalesce(elders.elder_count, 0) as elder_count
    from districts
    left join elders on districts.district_code = elders.district_code
)

select * from final
