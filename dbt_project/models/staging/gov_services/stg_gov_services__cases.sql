with

source as (
    select * from {{ source('raw', 'gov_service_cases') }}
),

renamed as (
    select
        -- lineage
        source_file,
        source_row,
        load_batch,

        -- ids
        case_number,
        id_number_clean as id_number,
        is_id_number_valid,
        document_number_clean as document_number,
        district_code,
        street_code,
        community_code,

        -- timestamps
        applied_at_clean as applied_at,
        completed_at_clean as completed_at,

        -- attributes
        matter_clean as matter,
        elder_name_clean as elder_name,
        document_type_clean as document_type,
        applicant_name_clean as applicant_name,
        applicant_phone_clean as applicant_phone,
        is_filed_by_agent,
        result_clean as result,
        issues

    from source
)

select * from renamed
