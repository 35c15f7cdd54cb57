{#- Each elder's institution stays, admission to discharge, as the institutions' rows state
    them. -#}
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
        residents.admitted_date,
        residents.discharged_date
    from xref
    inner join residents
        on xref.load_batch = residents.load_batch and xref.source_row = residents.source_row
    where residents.admitted_date is not null
)

select * from final
