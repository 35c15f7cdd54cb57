{#- The months in which an institution's roster lists the elder as a resident. -#}
with

xref as (
    select * from {{ ref('stg_linkage__elder_xref') }}
    where source = 'institutions'
),

residents as (
    select * from {{ ref('stg_institutions__residents') }}
),

final as (
    select distinct
        xref.elder_id,
        to_date(residents.roster_month, 'YYYY-MM') as month
    from xref
    inner join residents
        on xref.load_batch = residents.load_batch and xref.source_row = residents.source_row
    where residents.discharged_date is null or residents.discharged_date > (
        to_date(residents.roster_month, 'YYYY-MM') + interval '1 month - 1 day'
    )
)

select * from final
