{#- The month spine: every month from the first delivery month to the latest. The latest
    delivery month is the month the marts are counted at (its last day is the reference date,
    as for linkage), so the spine needs no parameter and a new month changes no dbt input but
    the data (partial parsing stays valid). -#}
with

bounds as (
    select
        min(delivery_month) as first_month,
        max(delivery_month) as last_month
    from {{ ref('stg_raw__deliveries') }}
),

spine as (
    select generate_series(first_month, last_month, interval '1 month')::date as month
    from bounds
),

final as (
    select
        month,
        to_char(month, 'YYYY-MM') as month_label,
        (month + interval '1 month - 1 day')::date as month_end,
        extract(year from month)::int as calendar_year,
        extract(month from month)::int as month_of_year,
        (month - interval '1 month')::date as previous_month,
        (month - interval '1 year')::date as same_month_last_year
    from spine
)

select * from final
