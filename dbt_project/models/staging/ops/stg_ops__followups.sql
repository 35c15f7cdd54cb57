with

source as (
    select * from {{ source('ops', 'followups') }}
),

renamed as (
    select
        -- ids
        id as followup_id,
        order_id,

        -- attributes
        method as followup_method,
        resolved as is_resolved,
        satisfaction,

        -- timestamps
        at as followed_up_at

    from source
)

select * from renamed
