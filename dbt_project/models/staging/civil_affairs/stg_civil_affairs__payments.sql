with

source as (
    select * from {{ source('raw', 'civil_affairs_payments') }}
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
        street_code,
        community_code,

        -- dates
        birth_date_clean as birth_date,
        birth_date_precision,
        payment_month_clean as payment_month,

        -- attributes
        name_clean as person_name,
        sex_clean as sex,
        phone_clean as phone,
        subsidy_type_clean as subsidy_type,
        hardship_type_clean as hardship_type,
        ability_level_clean as ability_level,
        living_situation_clean as living_situation,
        amount_yuan,
        issues

    from source
)

select * from renamed
