{#- Stewards: every data-quality check result over time, by feed, delivery month and check,
    with the share of rows failing. -#}
with

results as (
    select * from {{ ref('stg_quality__validation_results') }}
),

final as (
    select
        validation_id,
        run_id,
        validated_at,
        suite as feed,
        delivery_month,
        check_name,
        severity,
        is_success,
        threshold,
        observed,
        element_count,
        unexpected_count,
        {{ safe_ratio('unexpected_count', 'element_count') }} as failing_share,
        message
    from results
)

select * from final
