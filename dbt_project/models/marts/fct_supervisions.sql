{#- One row per supervision (督办) case, by what opened it. -#}
with

supervisions as (
    select * from {{ ref('stg_ops__supervisions') }}
),

final as (
    select
        supervision_id,
        order_id,
        organisation_id,
        date_trunc('month', opened_at)::date as supervision_month,
        district_code,
        street_code,
        supervision_trigger,
        supervision_method,
        supervision_state,
        opened_at,
        closed_at
    from supervisions
)

select * from final
