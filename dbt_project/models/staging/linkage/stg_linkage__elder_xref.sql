with

source as (
    select * from {{ source('linkage', 'elder_xref') }}
),

renamed as (
    select
        -- ids
        elder_id,
        record_id,
        load_batch,

        -- lineage
        source,
        source_file,
        source_row,

        -- attributes
        role as record_role,
        match_probability,
        linked_by,
        linked_at

    from source
)

select * from renamed
