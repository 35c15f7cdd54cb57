{{
    config(
        indexes=[
            {'columns': ['elder_id', 'address_kind', 'valid_from'], 'unique': True},
        ],
    )
}}

{#- An elder's address of each kind (registry, residence, roster, institution) as month spans. The
    latest row delivered in a month gives the month's address; a span starts when the address
    changes and lasts until the next change, so a registry extract that repeats an address
    does not start a new span (and does not override a residence stated since). -#}
with

evidence as (
    select * from {{ ref('int_elder_address_evidence') }}
),

latest_in_month as (
    select distinct on (elder_id, address_kind, delivery_month)
        elder_id,
        address_kind,
        delivery_month,
        district_code,
        street_code,
        community_code,
        source_file,
        source_row
    from evidence
    order by elder_id asc, address_kind asc, delivery_month asc, source_file desc, source_row desc
),

flagged as (
    select
        *,
        coalesce(
            district_code <> lag(district_code) over by_kind
            or coalesce(community_code, '') <> coalesce(lag(community_code) over by_kind, ''),
            true
        ) as is_change
    from latest_in_month
    window by_kind as (partition by elder_id, address_kind order by delivery_month)
),

changes as (
    select * from flagged
    where is_change
),

final as (
    select
        elder_id,
        address_kind,
        delivery_month as valid_from,
        lead(delivery_month) over (
            partition by elder_id, address_kind order by delivery_month
        ) as valid_until,
        district_code,
        street_code,
        community_code,
        source_file,
        source_row
    from changes
)

select * from final
