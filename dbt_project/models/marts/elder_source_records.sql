{{
    config(
        indexes=[
            {'columns': ['record_id'], 'unique': True},
        ],
    )
}}

{#- Every landed row that belongs to a person, and the elder it was linked to: any count on
    any dashboard can be traced through this table to the delivered rows behind it. -#}
with

xref as (
    select * from {{ ref('stg_linkage__elder_xref') }}
),

elders as (
    select elder_id from {{ ref('dim_elders') }}
),

final as (
    select
        xref.record_id,
        xref.elder_id,
        xref.source,
        xref.source_file,
        xref.source_row,
        xref.record_role,
        xref.match_probability,
        xref.linked_by,
        elders.elder_id is not null as is_in_elder_database
    from xref
    left join elders on xref.elder_id = elders.elder_id
)

select * from final
