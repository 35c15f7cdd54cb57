{#- Stewards: how each source's rows were linked (by rule, score, steward or not at all), how
    many were excluded and why, and the review backlog. -#}
with

xref as (
    select * from {{ ref('stg_linkage__elder_xref') }}
),

exclusions as (
    select * from {{ source('linkage', 'exclusions') }}
),

queue as (
    select count(*) as pending_reviews from {{ source('linkage', 'review_queue') }}
),

decisions as (
    select count(*) as decided_reviews from {{ source('linkage', 'review_decisions') }}
),

linked as (
    select
        source as source_name,
        'linked_by' as measure,
        linked_by as category,
        count(*) as row_count
    from xref
    where record_role = 'elder'
    group by 1, 2, 3
),

excluded as (
    select
        source as source_name,
        'excluded' as measure,
        reason as category,
        count(*) as row_count
    from exclusions
    group by 1, 2, 3
),

backlog as (
    select
        'all' as source_name,
        'review' as measure,
        'pending' as category,
        pending_reviews as row_count
    from queue
    union all
    select
        'all' as source_name,
        'review' as measure,
        'decided' as category,
        decided_reviews as row_count
    from decisions
),

final as (
    select * from linked
    union all
    select * from excluded
    union all
    select * from backlog
)

select * from final
