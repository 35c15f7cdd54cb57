{#- The cross-reference is read once per source, each with its own filter, not kept aside for
    the four: kept (a CTE read four times is materialized) it was 7.5 million rows written to
    disk and read back four times, and no part of the query could run in parallel. No merge
    joins: a parallel merge join sorts all 3.8 million roster rows again in every worker (a
    hash join builds one shared table). Tianjin scale, full relink, the query alone: 33-36 s
    before, 21 s after. `set local` ends with the model's transaction. -#}
{{
    config(
        materialized='incremental',
        unique_key='record_id',
        incremental_strategy='delete+insert',
        pre_hook=[
            "{{ drop_rows_of_an_earlier_full_relink() }}",
            "set local enable_mergejoin = off",
        ],
        indexes=[{'columns': ['record_id'], 'unique': True}, {'columns': ['linked_at']}],
    )
}}

{#- Every address an elder's rows state, with the month it was delivered, by kind:
    - registry: the registered address (public-security rows);
    - residence: where the elder says they live (service-platform cases);
    - roster: the district whose subsidy roster lists the elder (a district lists the elders
      registered in it, but a roster row can be an error, so it only places an elder the
      registry does not know);
    - institution: the district of the institution the elder lives in.
    Built incrementally from the rows a linkage run linked since the last build (macro
    linked_since_last_build): a new month's rows and those moved to another elder. -#}
with

xref as not materialized (
    select * from {{ ref('stg_linkage__elder_xref') }}
    where record_role = 'elder' and {{ linked_since_last_build() }}
),

deliveries as (
    select * from {{ ref('stg_raw__deliveries') }}
),

registry as (  -- each source joined on its own: a new month's few rows are looked up by key
    select
        xref.*,
        persons.district_code,
        left(persons.community_code, 9) || '000' as street_code,
        persons.community_code,
        'registry' as address_kind
    from xref
    inner join {{ ref('stg_public_security__persons') }} as persons
        on xref.load_batch = persons.load_batch and xref.source_row = persons.source_row
    where xref.source = 'public_security'
),

rosters as (
    select
        xref.*,
        payments.district_code,
        payments.street_code,
        payments.community_code,
        'roster' as address_kind
    from xref
    inner join {{ ref('stg_civil_affairs__payments') }} as payments
        on xref.load_batch = payments.load_batch and xref.source_row = payments.source_row
    where xref.source = 'civil_affairs'
),

cases as (
    select
        xref.*,
        cases.district_code,
        cases.street_code,
        cases.community_code,
        'residence' as address_kind
    from xref
    inner join {{ ref('stg_gov_services__cases') }} as cases
        on xref.load_batch = cases.load_batch and xref.source_row = cases.source_row
    where xref.source = 'gov_services'
),

institutions as (
    select
        xref.*,
        residents.district_code,
        null::text as street_code,
        null::text as community_code,
        'institution' as address_kind
    from xref
    inner join {{ ref('stg_institutions__residents') }} as residents
        on xref.load_batch = residents.load_batch and xref.source_row = residents.source_row
    where xref.source = 'institutions'
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
        addresses.elder_id,
        deliveries.delivery_month,
        addresses.address_kind,
        addresses.district_code,
        addresses.street_code,
        addresses.community_code,
        addresses.source,
        addresses.source_file,
        addresses.source_row,
        addresses.record_id,
        addresses.linked_at
    from addresses
    inner join deliveries on addresses.load_batch = deliveries.load_batch
    where addresses.district_code is not null
)

select * from final
