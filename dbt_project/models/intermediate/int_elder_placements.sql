{{
    config(
        indexes=[
            {'columns': ['elder_id', 'starts_on'], 'unique': True},
        ],
    )
}}

{#- The one address that places an elder in a region, as month spans that do not overlap: the
    spans of every kind (int_elder_address_spans) cut where any of them starts or ends, and in
    each piece the address chosen among the kinds that cover it. Where the elder says they live
    (residence) wins unless the registered address (registry) changed since; either beats a
    roster's district, which beats the institution's. Chosen once per piece here, not once per
    elder-month in fct_elder_months: 3.4 million pieces against 12 million elder-months at
    Tianjin scale over four months, and the gap grows with every month of history. The spans
    are read where they are used, not kept aside for the three (a CTE read more than once is
    materialized: 4.3 million rows written to disk and read back). -#}
with

addresses as not materialized (
    select * from {{ ref('int_elder_address_spans') }}
),

cuts as (
    select
        elder_id,
        valid_from as starts_on
    from addresses
    union
    select
        elder_id,
        valid_until as starts_on
    from addresses
    where valid_until is not null
),

pieces as (
    select
        elder_id,
        starts_on,
        lead(starts_on) over by_elder as ends_before,
        min(starts_on) over by_elder as first_month
    from cuts
    window by_elder as (partition by elder_id order by starts_on)
),

final as (
    select distinct on (pieces.elder_id, pieces.starts_on)
        pieces.elder_id,
        pieces.starts_on,
        pieces.ends_before,
        pieces.first_month,
        addresses.address_kind,
        addresses.district_code,
        addresses.street_code,
        addresses.community_code,
        addresses.source_file,
        addresses.source_row
    from pieces
    inner join addresses
        on
            pieces.elder_id = addresses.elder_id
            and pieces.starts_on >= addresses.valid_from
            and (addresses.valid_until is null or pieces.starts_on < addresses.valid_until)
    order by
        pieces.elder_id asc,
        pieces.starts_on asc,
        addresses.address_kind in ('roster', 'institution'),
        addresses.address_kind = 'institution',
        addresses.valid_from desc,
        addresses.address_kind = 'registry'
)

select * from final
