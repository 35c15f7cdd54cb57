{#- The API's elders; the ID number is kept only to join them to the elder database. -#}
with

source as (
    select * from {{ source('ops', 'elders') }}
),

renamed as (
    select
        -- ids
        elder_id as ops_elder_id,
        id_number,
        left(district_code, 6) as district_code,
        street_code,
        community_code,

        -- dates
        birth_date

    from source
)

select * from renamed
