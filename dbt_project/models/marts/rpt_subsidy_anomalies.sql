{#- No merge joins, and room to hash: payments and entitlements (millions each) are matched by
    hashing, which spilled to disk in batches at the server's 64 MB; merge-joining them sorted
    every payment on disk instead. `set local` ends with the model's transaction. -#}
{{
    config(
        materialized='incremental',
        unique_key='payment_month',
        incremental_strategy='month_partitions',
        indexes=[{'columns': ['payment_month', 'district_code']}],
        pre_hook=[
            "set local enable_mergejoin = off",
            "set local work_mem = '256MB'",
        ],
    )
}}

{%- set payment_columns -%}
    payments.payment_month,
        payments.district_code,
        payments.subsidy_type,
        payments.elder_key,
        payments.amount_yuan
{%- endset %}

{#- Subsidy anomalies, each with the delivered row behind it and the evidence:
    - paid_after_death: paid for a month that began after the elder's death (the month of
      death itself is still due);
    - paid_in_two_districts: the same subsidy paid to one elder in one month by two or more
      districts; the row outside the elder's registered district is the anomaly (all rows
      when the registered district paid nothing);
    - paid_without_entitlement: any other payment for which the standards in force gave the
      elder nothing of that type that month (fct_subsidy_entitlements);
    - entitled_but_not_paid: an entitlement no roster paid; the row behind it is the
      registry row that registers the elder.
    A payment row has at most one kind, in that order. Incremental: a run replaces the last
    `recompute_months` payment months whole (in_recompute_window); --full-refresh recomputes
    history, e.g. after a death reported more than that late. -#}
with

payments as (
    select * from {{ ref('fct_subsidy_payments') }}
    where
        elder_id is not null
        and {{ in_recompute_window('payment_month') }}
),

elders as (
    select * from {{ ref('stg_linkage__elders') }}
),

registry as (
    select * from {{ ref('int_elder_address_spans') }}
    where address_kind = 'registry'
),

entitlements as (
    select * from {{ ref('fct_subsidy_entitlements') }}
    where {{ in_recompute_window('month', 'payment_month') }}
),

-- Each kind of payment anomaly carries the payment's own columns, so that none is looked up
-- again among the millions of payments.
after_death as (
    select
        'paid_after_death' as anomaly_kind,
        '死亡后发放' as anomaly_label,
        {{ payment_columns }},
        '死亡日期 ' || elders.death_date::text || '，发放月份 '
        || to_char(payments.payment_month, 'YYYY-MM') as evidence,
        payments.source_file,
        payments.source_row
    from payments
    inner join elders on payments.elder_id = elders.elder_id
    where elders.death_date < payments.payment_month
),

-- found by hashing (min and max), so that only these groups' rows are sorted to list them
paid_by_several as (
    select
        elder_id,
        payment_month,
        subsidy_type
    from payments
    group by elder_id, payment_month, subsidy_type
    having min(district_code) <> max(district_code)
),

districts_paying as (
    select
        payments.elder_id,
        payments.payment_month,
        payments.subsidy_type,
        count(distinct payments.district_code) as district_count,
        array_agg(distinct payments.district_code) as paying_district_codes
    from payments
    inner join paid_by_several
        on
            payments.elder_id = paid_by_several.elder_id
            and payments.payment_month = paid_by_several.payment_month
            and payments.subsidy_type = paid_by_several.subsidy_type
    group by payments.elder_id, payments.payment_month, payments.subsidy_type
),

home_district as (
    select
        districts_paying.*,
        registry.district_code as registered_district_code,
        -- membership in the group's own districts, not a lookup per row in all payments
        -- (which has no index here: 10 minutes at 3.2 million elders)
        coalesce(
            registry.district_code = any(districts_paying.paying_district_codes), false
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
        'paid_in_two_districts' as anomaly_kind,
        '跨区重复发放' as anomaly_label,
        {{ payment_columns }},
        '同月由 ' || array_to_string(home_district.paying_district_codes, ', ') || ' 发放，户籍区 '
        || coalesce(home_district.registered_district_code, '未知') as evidence,
        payments.source_file,
        payments.source_row
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

flagged as (
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

without_entitlement as (
    select
        'paid_without_entitlement' as anomaly_kind,
        '无资格发放' as anomaly_label,
        {{ payment_columns }},
        '当月标准下不享受' || payments.subsidy_type as evidence,
        payments.source_file,
        payments.source_row
    from payments
    where
        not exists (
            select 1 from entitlements
            where
                entitlements.elder_id = payments.elder_id
                and entitlements.month = payments.payment_month
                and entitlements.subsidy_type = payments.subsidy_type
        )
        and not exists (
            select 1 from flagged
            where
                flagged.source_file = payments.source_file
                and flagged.source_row = payments.source_row
        )
),

payment_anomalies as (
    select * from flagged
    union all
    select * from without_entitlement
),

not_paid as (
    select
        'entitled_but_not_paid' as anomaly_kind,
        '应发未发' as anomaly_label,
        entitlements.month as payment_month,
        entitlements.district_code,
        entitlements.subsidy_type,
        entitlements.elder_key,
        entitlements.amount_yuan,
        '按当月标准应发 ' || entitlements.amount_yuan::text || ' 元，无发放记录' as evidence,
        entitlements.registry_source_file as source_file,
        entitlements.registry_source_row as source_row
    from entitlements
    where not exists (
        select 1 from payments
        where
            payments.elder_id = entitlements.elder_id
            and payments.payment_month = entitlements.month
            and payments.subsidy_type = entitlements.subsidy_type
    )
),

reported as (
    select * from payment_anomalies
    union all
    select * from not_paid
),

districts as (
    select * from {{ ref('districts') }}
),

final as (
    select
        md5(concat_ws(
            '|', reported.anomaly_kind, reported.source_file, reported.source_row,
            reported.payment_month, reported.subsidy_type, reported.elder_key
        )) as anomaly_id,
        reported.*,
        coalesce(districts.district_name, '未知') as district_name
    from reported
    left join districts on reported.district_code = districts.district_code
)

select * from final
