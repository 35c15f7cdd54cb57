with

source as (
    select * from {{ source('raw', 'institution_residents') }}
),

months as (
    select
        load_batch,
        delivery_month
    from {{ source('raw', 'load_log') }}
),

renamed as (
    select
        -- lineage
        source.source_file,
        source.source_row,
        source.load_batch,

        -- ids
        source.institution_code,
        source.id_number_clean as id_number,
        source.is_id_number_valid,
        source.institution_district_code as district_code,

        -- dates
        months.delivery_month as roster_month,
        source.birth_date_clean as birth_date,
        source.admitted_on as admitted_date,
        source.discharged_on as discharged_date,

        -- attributes
        source.institution_name,
        source.name_clean as resident_name,
        source.sex,
        source.discharge_reason_clean as discharge_reason,
        source.care_level_clean as care_level,
        source.phone_clean as family_phone,
        source.is_institution_code_valid,
        source.issues

    from source
    inner join months on source.load_batch = months.load_batch
)

select * from renamed
