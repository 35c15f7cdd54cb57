with

source as (
    select * from {{ source('quarantine', 'rejected_rows') }}
),

renamed as (
    select
        -- lineage
        load_batch,
        source,
        source_file,
        source_row,

        -- attributes
        reason,
        message,
        original

    from source
)

select * from renamed
