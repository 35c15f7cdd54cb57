with

source as (
    select * from {{ source('quality', 'validation_results') }}
),

renamed as (
    select
        -- ids
        validation_id,
        run_id,

        -- dates
        to_date(delivery_month, 'YYYY-MM') as delivery_month,
        validated_at,

        -- attributes
        suite,
        check_name,
        severity,
        success as is_success,
        threshold,
        observed,
        element_count,
        unexpected_count,
        message

    from source
)

select * from renamed
