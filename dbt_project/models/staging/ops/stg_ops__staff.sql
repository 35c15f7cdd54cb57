{#- Service staff accounts, without names or phones. -#}
with

source as (
    select * from {{ source('ops', 'users') }}
),

renamed as (
    select
        -- ids
        id as staff_id,
        organisation_id,

        -- attributes
        is_active,

        -- timestamps
        created_at

    from source
    where role = 'staff'
)

select * from renamed
