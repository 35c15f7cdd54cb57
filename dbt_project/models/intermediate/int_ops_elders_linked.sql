{#- The API's elders joined to the elder database by ID number, so that services can be
    counted by the elder's age and ability. Elders the database does not know keep a null
    elder_id. -#}
with

ops_elders as (
    select * from {{ ref('stg_ops__elders') }}
),

identities as (
    select
        elder_id,
        id_number
    from {{ source('linkage', 'elders') }}
    where id_number is not null
),

final as (
    select
        ops_elders.ops_elder_id,
        identities.elder_id,
        ops_elders.birth_date
    from ops_elders
    left join identities on ops_elders.id_number = identities.id_number
)

select * from final
