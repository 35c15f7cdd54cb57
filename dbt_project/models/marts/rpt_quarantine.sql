{#- Stewards: quarantined rows per source, delivery month and reason, with an example row to
    open, and refused files. -#}
with

rejected_rows as (
    select * from {{ ref('stg_quarantine__rejected_rows') }}
),

deliveries as (
    select * from {{ ref('stg_raw__deliveries') }}
),

refused_files as (
    select * from {{ source('quarantine', 'rejected_files') }}
),

rows_by_reason as (
    select
        rejected_rows.source,
        deliveries.delivery_month,
        'row' as quarantine_level,
        rejected_rows.reason,
        count(*) as quarantined,
        min(rejected_rows.source_file || ' 第 ' || rejected_rows.source_row || ' 行')
            as example_locator
    from rejected_rows
    inner join deliveries on rejected_rows.load_batch = deliveries.load_batch
    group by 1, 2, 3, 4
),

files_by_reason as (
    select
        source,
        null::date as delivery_month,
        'file' as quarantine_level,
        reason,
        count(*) as quarantined,
        min(source_file) as example_locator
    from refused_files
    group by 1, 2, 3, 4
),

final as (
    select * from rows_by_reason
    union all
    select * from files_by_reason
)

select * from final
