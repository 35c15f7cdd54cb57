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
        id_number_clean as id_number,
        is_id_number_valid,
        district_code,
        community_code,

        -- dates
        birth_date_clean as birth_date,
        status_changed_on as status_changed_date,

        -- attributes
        name_clean as person_name,
        sex,
        ethnicity_code,
        person_status,
        change_type,
        is_delta,
        person_status = '正常' as is_active,
        issues

    from source
)

select * from renamed
