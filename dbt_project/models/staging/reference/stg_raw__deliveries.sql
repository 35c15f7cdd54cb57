{#- One row per loaded file: which source, which delivery month. Rows inherit their delivery
    month through load_batch. -#}
with

source as (
    select * from {{ source('raw', 'load_log') }}
),

renamed as (
    select
        -- ids
        load_batch,

        -- dates
        to_date(delivery_month, 'YYYY-MM') as delivery_month,

        -- attributes
        source,
        source_file,
        loaded,
        quarantined

    from source
    where status = 'loaded'
)

select * from renamed
