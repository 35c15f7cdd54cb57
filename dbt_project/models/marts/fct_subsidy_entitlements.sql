{#- The planner cannot count elder-months (month ranges joined to address spans; 0.7 million
    estimated where there are 12 million at 3.2 million elders), so it is told how to join:
    - no merge joins: with few elder-months it merge-joined the rules after sorting every
      elder-month on disk (1.3 GB), where hashing the 26,000 rules costs a fraction;
    - the joins in the order written (collapse limits of 1): elders to their registry spans,
      then the months, the care spans, the stays and last the rules. Left free it joins the
      rules before the care spans and stays, matching each elder-month to every rule of its
      month and age. This order used to be forced by keeping the identified elder-months
      aside (a materialized CTE), which wrote all 12 million to disk and read them back
      (Tianjin scale, the model's query alone: 45 s that way, 36 s this way).
    `set local` ends with the model's transaction. -#}
{{
    config(
        materialized='incremental',
        unique_key='month',
        incremental_strategy='month_partitions',
        indexes=[
            {'columns': ['month', 'district_code']},
            {'columns': ['elder_id', 'month', 'subsidy_type'], 'unique': True},
        ],
        pre_hook=[
            "set local enable_mergejoin = off",
            "set local join_collapse_limit = 1",
            "set local from_collapse_limit = 1",
        ],
    )
}}

{#- What each elder was due each month under the subsidy standards in force then: one row per
    elder, month and subsidy type. Due to elders registered in Tianjin (the registry places
    them in a district that month), not moved out before the month, alive on its first day
    and 60 or over by its last, matched (int_subsidy_rules) on hardship type and ability level
    (the latest roster by then), age at the month's end, and residence on the first day (an
    institution stay covering it, else home). -#}
with

months as (
    select * from {{ ref('dim_months') }}
    where {{ in_recompute_window('month') }}
),

elders as (
    select * from {{ ref('stg_linkage__elders') }}
    where not is_agent_only and birth_date is not null
),

registry as (
    select * from {{ ref('int_elder_address_spans') }}
    where address_kind = 'registry'
),

care as (
    select * from {{ ref('int_elder_care_spans') }}
),

stays as (
    select * from {{ ref('int_elder_institution_stays') }}
),

rules as (
    select * from {{ ref('int_subsidy_rules') }}
),

registered as (
    select
        months.month,
        months.month_end,
        elders.elder_id,
        registry.district_code,
        registry.source_file as registry_source_file,
        registry.source_row as registry_source_row,
        date_part('year', age(months.month_end, elders.birth_date))::int as age
    from elders
    inner join registry on elders.elder_id = registry.elder_id
    inner join months
        on
            registry.valid_from <= months.month
            and (registry.valid_until is null or registry.valid_until > months.month)
    where
        (elders.death_date is null or elders.death_date >= months.month)
        and elders.birth_date <= months.month_end - interval '60 years'
        and not coalesce(
            elders.registry_status = '迁出'
            and coalesce(elders.registry_status_date, elders.reference_date) < months.month,
            false
        )
),

-- The months whose first day an institution stay covers, from the stays alone: found among
-- the registered elder-months, they made PostgreSQL keep all 12 million of those aside (at
-- Tianjin scale) to read them twice.
stay_months as (
    select distinct
        stays.elder_id,
        months.month
    from stays
    inner join months
        on
            stays.admitted_date <= months.month
            and (stays.discharged_date is null or stays.discharged_date >= months.month)
),

identified as (
    select
        registered.*,
        coalesce(care.hardship_type, '未知') as hardship_type,
        coalesce(care.ability_level, '未知') as ability_level,
        case when stay_months.elder_id is null then 'home' else 'institution' end as residence
    from registered
    left join care
        on
            registered.elder_id = care.elder_id
            and registered.month >= care.valid_from
            and (care.valid_until is null or registered.month < care.valid_until)
    left join stay_months
        on registered.elder_id = stay_months.elder_id and registered.month = stay_months.month
),

final as (
    select
        identified.month,
        identified.elder_id,
        md5('elder:' || identified.elder_id::text) as elder_key,
        identified.district_code,
        rules.subsidy_type,
        rules.parameter_id,
        rules.amount_fen,
        round(rules.amount_fen / 100.0, 2) as amount_yuan,
        rules.is_assumed,
        identified.age,
        identified.hardship_type,
        identified.ability_level,
        identified.residence,
        identified.registry_source_file,
        identified.registry_source_row
    from identified
    inner join rules
        on
            identified.month = rules.month
            and identified.hardship_type = rules.hardship_type
            and identified.ability_level = rules.ability_level
            and identified.residence = rules.residence
            and least(identified.age, 120) = rules.age
)

select * from final
