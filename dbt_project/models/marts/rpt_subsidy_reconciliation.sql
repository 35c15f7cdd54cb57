{#- Each roster's 合计 row against the rows behind it, to the fen: amounts loaded, plus the
    person rows quarantined (duplicates and others, which the roster's total still counts),
    must equal the total the district delivered. A difference names the file to open. -#}
with

deliveries as (
    select * from {{ ref('stg_raw__deliveries') }}
    where source = 'civil_affairs'
),

payments as (
    select * from {{ ref('stg_civil_affairs__payments') }}
),

rejected as (
    select
        load_batch,
        reason,
        original ->> 'row_number' as row_label,
        nullif(regexp_replace(original ->> 'amount', '[^0-9.-]', '', 'g'), '')::numeric
            as amount_yuan
    from {{ ref('stg_quarantine__rejected_rows') }}
    where source = 'civil_affairs'
),

roster_totals as (
    select
        load_batch,
        sum(amount_yuan) as roster_total_yuan
    from rejected
    where reason = 'not_a_person' and row_label in ('合计', '总计')
    group by 1
),

quarantined_people as (
    select
        load_batch,
        sum(amount_yuan) filter (where reason = 'duplicate_row') as duplicate_yuan,
        sum(amount_yuan) filter (where reason <> 'duplicate_row') as other_quarantined_yuan
    from rejected
    where reason <> 'not_a_person'
    group by 1
),

loaded as (
    select
        load_batch,
        min(district_code) as district_code,
        count(*) as loaded_rows,
        sum(amount_yuan) as loaded_yuan
    from payments
    group by 1
),

reported as (
    select
        deliveries.source_file,
        deliveries.delivery_month as payment_month,
        coalesce(
            loaded.district_code, substring(deliveries.source_file from '/([0-9]{6})_')
        ) as district_code,
        loaded.loaded_rows,
        coalesce(loaded.loaded_yuan, 0) as loaded_yuan,
        coalesce(quarantined_people.duplicate_yuan, 0) as duplicate_yuan,
        coalesce(quarantined_people.other_quarantined_yuan, 0) as other_quarantined_yuan,
        roster_totals.roster_total_yuan,
        round(
            (
                coalesce(roster_totals.roster_total_yuan, 0)
                - coalesce(loaded.loaded_yuan, 0)
                - coalesce(quarantined_people.duplicate_yuan, 0)
                - coalesce(quarantined_people.other_quarantined_yuan, 0)
            ) * 100
        )::bigint as difference_fen
    from deliveries
    left join loaded on deliveries.load_batch = loaded.load_batch
    left join quarantined_people on deliveries.load_batch = quarantined_people.load_batch
    left join roster_totals on deliveries.load_batch = roster_totals.load_batch
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
