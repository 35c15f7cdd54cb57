{#- Every address an elder's rows state, with the month it was delivered, by kind:
    - registry: the registered address (public-security rows);
    - residence: where the elder says they live (service-platform cases);
    - roster: the district whose subsidy roster lists the elder (a district lists the elders
      registered in it, but a roster row can be an error, so it only places an elder the
      registry does not know);
    - institution: the district of the institution the elder lives in. -#}
with

xref as (
    select * from {{ ref('stg_linkage__elder_xref') }}
    where record_role = 'elder'
),

deliveries as (
    select * from {{ ref('stg_raw__deliveries') }}
),

registry as (
    select
        load_batch,
        source_row,
        district_code,
        left(community_code, 9) || '000' as street_code,
        community_code,
        'registry' as address_kind
    from {{ ref('stg_public_security__persons') }}
),

rosters as (
    select
        load_batch,
        source_row,
        district_code,
        street_code,
        community_code,
        'roster' as address_kind
    from {{ ref('stg_civil_affairs__payments') }}
),

cases as (
    select
        load_batch,
        source_row,
        district_code,
        street_code,
        community_code,
        'residence' as address_kind
    from {{ ref('stg_gov_services__cases') }}
),

institutions as (
    select
        load_batch,
        source_row,
        district_code,
        null::text as street_code,
        null::text as community_code,
        'institution' as address_kind
    from {{ ref('stg_institutions__residents') }}
),

addresses as (
    select * from registry
    union all
    select * from rosters
    union all
    select * from cases
    union all
    select * from institutions
),

final as (
    select
        xref.elder_id,
        deliveries.delivery_month,
        addresses.address_kind,
        addresses.district_code,
        addresses.street_code,
        addresses.community_code,
        xref.source,
        xref.source_file,
        xref.source_row
    from xref
    inner join deliveries on xref.load_batch = deliveries.load_batch
    inner join addresses
        on
            xref.load_batch = addresses.load_batch
            and xref.source_row = addresses.source_row
    where addresses.district_code is not null
)

select * from final
