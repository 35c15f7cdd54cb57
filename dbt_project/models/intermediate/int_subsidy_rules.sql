{#- The subsidy standards in force each month, spelled out for every recipient identity
    (hardship type, ability level, residence, age 60–120): one row per month, identity and
    subsidy type with the amount due, so that entitlements are an equality join. When
    several standards of one type match an identity, the highest amount applies. -#}
with

months as (
    select month from {{ ref('dim_months') }}
),

parameters as (
    select * from {{ ref('stg_ops__subsidy_parameters') }}
    where parameter_status in ('in_force', 'superseded') and approved_at is not null
),

hardship_types as (
    select hardship_type from (values ('低保'), ('特困'), ('低收入'), ('无'), ('未知'))
        as hardship_list (hardship_type)
),

ability_levels as (
    select ability_level
    from (values ('能力完好'), ('轻度失能'), ('中度失能'), ('重度失能'), ('完全失能'), ('未知'))
        as ability_list (ability_level)
),

residences as (
    select residence from (values ('home'), ('institution')) as residence_list (residence)
),

ages as (
    select generate_series(60, 120) as age
),

identities as (
    select
        hardship_types.hardship_type,
        ability_levels.ability_level,
        residences.residence,
        ages.age
    from hardship_types
    cross join ability_levels
    cross join residences
    cross join ages
),

final as (
    select distinct on (
        months.month,
        identities.hardship_type,
        identities.ability_level,
        identities.residence,
        identities.age,
        parameters.subsidy_type
    )
        months.month,
        identities.hardship_type,
        identities.ability_level,
        identities.residence,
        identities.age,
        parameters.subsidy_type,
        parameters.parameter_id,
        parameters.amount_fen,
        parameters.is_assumed
    from months
    inner join parameters
        on
            months.month >= parameters.effective_from
            and (parameters.effective_to is null or months.month <= parameters.effective_to)
    inner join identities
        on
            (
                parameters.hardship_type is null
                or parameters.hardship_type = identities.hardship_type
            )
            and (
                parameters.ability_level is null
                or parameters.ability_level = identities.ability_level
            )
            and (parameters.residence is null or parameters.residence = identities.residence)
            and (parameters.age_min is null or parameters.age_min <= identities.age)
            and (parameters.age_max is null or parameters.age_max >= identities.age)
    order by
        months.month asc,
        identities.hardship_type asc,
        identities.ability_level asc,
        identities.residence asc,
        identities.age asc,
        parameters.subsidy_type asc,
        parameters.amount_fen desc
)

select * from final
