{{
    config(
        materialized='incremental',
        unique_key='month',
        incremental_strategy='delete+insert',
        indexes=[
            {'columns': ['month', 'district_code']},
            {'columns': ['month', 'street_code']},
            {'columns': ['elder_id']},
        ],
    )
}}

{#- One row per elder per month in the elder database: alive and aged 60 or over at the
    month's end, known to a feed by then (first delivered row), not moved out of Tianjin.
    The address is the latest stated: where the elder says they live (service cases) unless
    the registered address changed since, else the registered address, else the district of
    a roster that pays the elder, else the institution's, as the rows delivered up to that
    month say. Each row names
    the delivered row its address comes from. Incremental runs recompute the last
    `recompute_months` months (late deaths and moves); --full-refresh recomputes history. -#}

with

months as (
    select * from {{ ref('dim_months') }}
    where {{ in_recompute_window('month') }}
),

elders as (
    select * from {{ ref('stg_linkage__elders') }}
    where not is_agent_only
),

addresses as (
    select * from {{ ref('int_elder_address_spans') }}
),

first_seen as (  -- each kind's first span starts at its first row's month
    select
        elder_id,
        min(valid_from) as first_month
    from addresses
    group by elder_id
),

care as (
    select * from {{ ref('int_elder_care_spans') }}
),

institution_months as (
    select * from {{ ref('int_elder_institution_months') }}
),

in_database as (
    select
        months.month,
        months.month_end,
        elders.elder_id,
        elders.sex,
        elders.birth_date,
        first_seen.first_month
    from elders
    inner join first_seen on elders.elder_id = first_seen.elder_id
    inner join months on first_seen.first_month <= months.month
    where
        (elders.death_date is null or elders.death_date > months.month_end)
        and (
            elders.birth_date is null or elders.birth_date <= months.month_end - interval '60 years'
        )
        and not coalesce(
            elders.registry_status = '迁出'
            and coalesce(elders.registry_status_date, elders.reference_date) <= months.month_end,
            false
        )
),

spans as (
    select
        in_database.elder_id,
        in_database.month,
        addresses.address_kind,
        addresses.valid_from,
        addresses.district_code,
        addresses.street_code,
        addresses.community_code,
        addresses.source_file,
        addresses.source_row
    from in_database
    inner join addresses
        on
            in_database.elder_id = addresses.elder_id
            and in_database.month >= addresses.valid_from
            and (addresses.valid_until is null or in_database.month < addresses.valid_until)
),

chosen as (
    select distinct on (elder_id, month)
        elder_id,
        month,
        district_code,
        street_code,
        community_code,
        source_file,
        source_row
    from spans
    order by
        elder_id asc,
        month asc,
        address_kind in ('roster', 'institution'),
        address_kind = 'institution',
        valid_from desc,
        address_kind = 'registry'
),

placed as (
    select
        in_database.*,
        chosen.district_code,
        chosen.street_code,
        chosen.community_code,
        chosen.source_file as address_source_file,
        chosen.source_row as address_source_row
    from in_database
    left join chosen
        on in_database.elder_id = chosen.elder_id and in_database.month = chosen.month
),

final as (
    select
        placed.month,
        placed.elder_id,
        md5('elder:' || placed.elder_id::text) as elder_key,
        placed.district_code,
        placed.street_code,
        placed.community_code,
        placed.sex,
        date_part('year', age(placed.month_end, placed.birth_date))::int as age,
        {{ age_band('date_part(\'year\', age(placed.month_end, placed.birth_date))') }} as age_band,
        care.ability_level,
        care.hardship_type,
        care.living_situation,
        institution_months.elder_id is not null as is_in_institution,
        placed.month = placed.first_month as is_first_month,
        placed.address_source_file,
        placed.address_source_row
    from placed
    left join care
        on
            placed.elder_id = care.elder_id
            and placed.month >= care.valid_from
            and (care.valid_until is null or placed.month < care.valid_until)
    left join institution_months
        on placed.elder_id = institution_months.elder_id and placed.month = institution_months.month
)

select * from final
