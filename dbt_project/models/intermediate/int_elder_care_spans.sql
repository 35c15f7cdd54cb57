{#- Care attributes from the civil-affairs rosters (ability level, hardship type, living
    situation) as month spans: the latest roster row of a month gives the month's attributes; a
    span starts when they change and lasts until the next change, so the monthly rosters that
    repeat an elder's attributes do not start a new span. -#}
with

evidence as (
    select * from {{ ref('int_elder_care_evidence') }}
),

latest_in_month as (
    select distinct on (elder_id, delivery_month)
        elder_id,
        delivery_month,
        ability_level,
        hardship_type,
        living_situation
    from evidence
    order by elder_id asc, delivery_month asc, source_file desc, source_row desc
),

flagged as (
    select
        *,
        (
            (ability_level, hardship_type, living_situation) is distinct from (
                lag(ability_level) over by_elder,
                lag(hardship_type) over by_elder,
                lag(living_situation) over by_elder
            )
            or lag(delivery_month) over by_elder is null
        ) as is_change
    from latest_in_month
    window by_elder as (partition by elder_id order by delivery_month)
),

changes as (
    select * from flagged
    where is_change
),

final as (
    select
        elder_id,
        delivery_month as valid_from,
        lead(delivery_month) over (
            partition by elder_id order by delivery_month
        ) as valid_until,
        ability_level,
        hardship_type,
        living_situation
    from changes
)

select * from final
