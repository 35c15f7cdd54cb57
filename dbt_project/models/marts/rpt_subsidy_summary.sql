{{
    config(
        materialized='incremental',
        unique_key='payment_month',
        incremental_strategy='month_partitions',
        indexes=[
            {'columns': ['payment_month', 'district_code']},
            {'columns': ['payment_month', 'street_code']},
        ],
    )
}}

{#- Subsidies paid per month, paying district and street (the roster row's) and subsidy type:
    recipients, rows and amounts, with the anomalous part (rpt_subsidy_anomalies) shown beside
    the total. Incremental with the payments (in_recompute_window). -#}
with

payments as (
    select * from {{ ref('fct_subsidy_payments') }}
    where {{ in_recompute_window('payment_month') }}
),

anomalies as (
    select * from {{ ref('rpt_subsidy_anomalies') }}
    where {{ in_recompute_window('payment_month') }}
),

districts as (
    select * from {{ ref('districts') }}
),

streets as (
    select * from {{ ref('dim_regions') }}
    where region_level = 'street'
),

final as (
    select
        payments.payment_month,
        payments.district_code,
        districts.district_name,
        payments.street_code,
        coalesce(streets.region_name, '未知街道') as street_name,
        payments.subsidy_type,
        count(distinct payments.elder_id) as recipients,
        count(*) as payment_rows,
        sum(payments.amount_yuan) as paid_yuan,
        count(anomalies.source_row) as anomalous_rows,
        coalesce(sum(anomalies.amount_yuan), 0) as anomalous_yuan
    from payments
    inner join districts on payments.district_code = districts.district_code
    left join streets on payments.street_code = streets.region_code
    left join anomalies
        on
            payments.source_file = anomalies.source_file
            and payments.source_row = anomalies.source_row
    group by 1, 2, 3, 4, 5, 6
)

select * from final
