{#- Indexed by month (the window of months the reports over it read), with the district, and
    by its key. No dashboard reads this table (they read those reports, indexed by street); an
    index on (month, street_code) served none of them and cost 10 s alone at Tianjin scale. -#}
{{
    config(
        materialized='incremental',
        unique_key='month',
        incremental_strategy='month_partitions',
        indexes=[
            {'columns': ['month', 'district_code']},
            {'columns': ['elder_id', 'month'], 'unique': True},
        ],
    )
}}

{#- One row per elder per month in the elder database: alive and aged 60 or over at the
    month's end, known to a feed by then (first delivered row), not moved out of Tianjin.
    The address is the one int_elder_placements chose for the month's span: where the elder
    says they live (service cases) unless the registered address changed since, else the
    registered address, else the district of a roster that pays the elder, else the
    institution's, as the rows delivered up to that month say. Each row names the delivered
    row its address comes from. Incremental runs recompute the last
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

placements as (
    select * from {{ ref('int_elder_placements') }}
),

care as (
    select * from {{ ref('int_elder_care_spans') }}
),

institution_months as (
    select * from {{ ref('int_elder_institution_months') }}
),

-- Elder by elder before the months multiply the rows. Materialized so that the planner joins
-- the months last: left to itself it multiplied first and hashed 12 million elder-months.
located as materialized (
    select
        elders.elder_id,
        md5('elder:' || elders.elder_id::text) as elder_key,
        elders.sex,
        elders.birth_date,
        elders.death_date,
        elders.registry_status = '迁出' as has_moved_out,
        coalesce(elders.registry_status_date, elders.reference_date) as registry_status_date,
        placements.starts_on,
        placements.ends_before,
        placements.first_month,
        placements.district_code,
        placements.street_code,
        placements.community_code,
        placements.source_file,
        placements.source_row
    from elders
    inner join placements on elders.elder_id = placements.elder_id
),

in_database as (
    select
        months.month,
        months.month_end,
        located.*
    from located
    inner join months
        on
            located.starts_on <= months.month
            and (located.ends_before is null or located.ends_before > months.month)
    where
        (located.death_date is null or located.death_date > months.month_end)
        and (
            located.birth_date is null
            or located.birth_date <= months.month_end - interval '60 years'
        )
        and not coalesce(
            located.has_moved_out and located.registry_status_date <= months.month_end, false
        )
),

final as (
    select
        in_database.month,
        in_database.elder_id,
        in_database.elder_key,
        in_database.district_code,
        in_database.street_code,
        in_database.community_code,
        in_database.sex,
        date_part('year', age(in_database.month_end, in_database.birth_date))::int as age,
        {{ age_band('date_part(\'year\', age(in_database.month_end, in_database.birth_date))') }}
            as age_band,
        care.ability_level,
        care.hardship_type,
        care.living_situation,
        institution_months.elder_id is not null as is_in_institution,
        in_database.month = in_database.first_month as is_first_month,
        in_database.source_file as address_source_file,
        in_database.source_row as address_source_row
    from in_database
    left join care
        on
            in_database.elder_id = care.elder_id
            and in_database.month >= care.valid_from
            and (care.valid_until is null or in_database.month < care.valid_until)
    left join institution_months
        on
            in_database.elder_id = institution_months.elder_id
            and in_database.month = institution_months.month
)

select * from final
