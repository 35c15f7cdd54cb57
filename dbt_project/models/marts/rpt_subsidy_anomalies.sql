{#- Subsidy payments that should not have been made, one row per roster row, each with the
    delivered row behind it and the evidence:
    - paid_after_death: paid for a month that began after the elder's death (the month of
      death itself is still due);
    - paid_in_two_districts: the same subsidy paid to one elder in one month by two or more
      districts; the row outside the elder's registered district is the anomaly (all rows
      when the registered district paid nothing). -#}
with

payments as (
    select * from {{ ref('fct_subsidy_payments') }}
    where elder_id is not null
),

elders as (
    select * from {{ ref('stg_linkage__elders') }}
),

registry as (
    select * from {{ ref('int_elder_address_spans') }}
    where address_kind = 'registry'
),

after_death as (
    select
        payments.source_file,
        payments.source_row,
        'paid_after_death' as anomaly_kind,
        '死亡后发放' as anomaly_label,
        '死亡日期 ' || elders.death_date::text || '，发放月份 '
        || to_char(payments.payment_month, 'YYYY-MM') as evidence
    from payments
    inner join elders on payments.elder_id = elders.elder_id
    where elders.death_date < payments.payment_month
),

districts_paying as (
    select
        elder_id,
        payment_month,
        subsidy_type,
        count(distinct district_code) as district_count,
        string_agg(distinct district_code, ', ') as district_codes
    from payments
    group by elder_id, payment_month, subsidy_type
    having count(distinct district_code) > 1
),

home_district as (
    select
        districts_paying.*,
        registry.district_code as registered_district_code,
        exists(
            select 1 from payments as own
            where
                own.elder_id = districts_paying.elder_id
                and own.payment_month = districts_paying.payment_month
                and own.subsidy_type = districts_paying.subsidy_type
                and own.district_code = registry.district_code
        ) as is_paid_at_home
    from districts_paying
    left join registry
        on
            districts_paying.elder_id = registry.elder_id
            and districts_paying.payment_month >= registry.valid_from
            and (
                registry.valid_until is null
                or districts_paying.payment_month < registry.valid_until
            )
),

in_two_districts as (
    select
        payments.source_file,
        payments.source_row,
        'paid_in_two_districts' as anomaly_kind,
        '跨区重复发放' as anomaly_label,
        '同月由 ' || home_district.district_codes || ' 发放，户籍区 '
        || coalesce(home_district.registered_district_code, '未知') as evidence
    from payments
    inner join home_district
        on
            payments.elder_id = home_district.elder_id
            and payments.payment_month = home_district.payment_month
            and payments.subsidy_type = home_district.subsidy_type
    where
        not home_district.is_paid_at_home
        or payments.district_code <> home_district.registered_district_code
),

anomalies as (
    select * from after_death
    union all
    select * from in_two_districts
    where not exists (
        select 1 from after_death
        where
            after_death.source_file = in_two_districts.source_file
            and after_death.source_row = in_two_districts.source_row
    )
),

reported as (
    select
        anomalies.anomaly_kind,
        anomalies.anomaly_label,
        payments.payment_month,
        payments.district_code,
        payments.subsidy_type,
        payments.elder_key,
        payments.amount_yuan,
        anomalies.evidence,
        anomalies.source_file,
        anomalies.source_row
    from anomalies
    inner join payments
        on
            anomalies.source_file = payments.source_file
            and anomalies.source_row = payments.source_row
),

districts as (
    select * from {{ ref('districts') }}
),

final as (
    select
        reported.*,
        coalesce(districts.district_name, '未知') as district_name
    from reported
    left join districts on reported.district_code = districts.district_code
)

select * from final
