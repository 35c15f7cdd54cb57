{#- One row per complaint, with where it came from and whether it was answered in time. -#}
with

complaints as (
    select * from {{ ref('stg_ops__complaints') }}
),

final as (
    select
        complaint_id,
        order_id,
        organisation_id,
        date_trunc('month', received_at)::date as complaint_month,
        district_code,
        street_code,
        complaint_source,
        complaint_state,
        received_at,
        reply_due_at,
        replied_at,
        closed_at,
        replied_at is not null and replied_at <= reply_due_at as is_replied_in_time
    from complaints
)

select * from final
