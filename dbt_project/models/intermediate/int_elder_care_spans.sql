{#- Care attributes from the civil-affairs rosters (ability level, hardship type, living
    situation) as month spans: the latest roster row of a month holds until a later one. -#}
with

xref as (
    select * from {{ ref('stg_linkage__elder_xref') }}
    where source = 'civil_affairs'
),

rosters as (
    select * from {{ ref('stg_civil_affairs__payments') }}
),

deliveries as (
    select * from {{ ref('stg_raw__deliveries') }}
),

latest_in_month as (
    select distinct on (xref.elder_id, deliveries.delivery_month)
        xref.elder_id,
        deliveries.delivery_month,
        rosters.ability_level,
        rosters.hardship_type,
        rosters.living_situation
    from xref
    inner join rosters
        on xref.load_batch = rosters.load_batch and xref.source_row = rosters.source_row
    inner join deliveries on xref.load_batch = deliveries.load_batch
    order by xref.elder_id asc, deliveries.delivery_month asc, rosters.source_row desc
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
    from latest_in_month
)

select * from final
