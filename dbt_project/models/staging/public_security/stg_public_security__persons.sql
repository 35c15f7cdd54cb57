with

source as (
    select * from {{ source('raw', 'public_security_persons') }}
),

renamed as (
    select
        -- lineage
        source_file,
        source_row,
        load_batch,

        -- ids
        upper(id_number) as id_number,
        left(registered_region_code, 6) as district_code,
        registered_region_code as community_code,

        -- dates
        to_date(birth_date, 'YYYYMMDD') as birth_date,
        to_date(nullif(status_changed_date, ''), 'YYYYMMDD') as status_changed_date,

        -- attributes
        name,
        sex_code,
        ethnicity_code,
        status_code,
        change_type,
        status_code = '0' as is_active

    from source
)

select * from renamed
