{#- The divisions of the latest loaded reference file. -#}
with

source as (
    select * from {{ source('raw', 'reference_regions') }}
),

latest as (
    select max(load_batch) as load_batch
    from {{ source('raw', 'load_log') }}
    where source = 'reference' and status = 'loaded'
),

renamed as (
    select
        -- ids
        source.code as region_code,
        nullif(source.parent_code, '') as parent_region_code,
        left(source.code, 6) as district_code,

        -- attributes
        source.name as region_name,
        source.level as region_level

    from source
    inner join latest on source.load_batch = latest.load_batch
)

select * from renamed
