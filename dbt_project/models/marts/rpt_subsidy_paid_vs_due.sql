{{
    config(
        indexes=[{'columns': ['month', 'district_code']}],
    )
}}

{#- Subsidies paid against due (5.3.2), per month, district and subsidy type: what the
    standards in force gave the registered elders (fct_subsidy_entitlements, by registered
    district) beside what the rosters paid (fct_subsidy_payments, by paying district). -#}
with

due as (
    select
        month,
        district_code,
        subsidy_type,
        count(*) as entitled_elders,
        sum(amount_fen) as due_fen
    from {{ ref('fct_subsidy_entitlements') }}
    group by 1, 2, 3
),

paid as (
    select
        payment_month as month,
        district_code,
        subsidy_type,
        count(distinct elder_id) as paid_elders,
        sum(amount_fen) as paid_fen
    from {{ ref('fct_subsidy_payments') }}
    group by 1, 2, 3
),

districts as (
    select * from {{ ref('districts') }}
),

final as (
    select
        coalesce(due.month, paid.month) as month,
        coalesce(due.district_code, paid.district_code) as district_code,
        districts.district_name,
        coalesce(due.subsidy_type, paid.subsidy_type) as subsidy_type,
        coalesce(due.entitled_elders, 0) as entitled_elders,
        coalesce(paid.paid_elders, 0) as paid_elders,
        round(coalesce(due.due_fen, 0) / 100.0, 2) as due_yuan,
        round(coalesce(paid.paid_fen, 0) / 100.0, 2) as paid_yuan,
        round((coalesce(paid.paid_fen, 0) - coalesce(due.due_fen, 0)) / 100.0, 2) as difference_yuan
    from due
    full outer join paid
        on
            due.month = paid.month
            and due.district_code = paid.district_code
            and due.subsidy_type = paid.subsidy_type
    left join districts on coalesce(due.district_code, paid.district_code) = districts.district_code
)

select * from final
