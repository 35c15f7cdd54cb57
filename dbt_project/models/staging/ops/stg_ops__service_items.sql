{#- Service items with their category and column (栏目), flattened. -#}
with

items as (
    select * from {{ source('ops', 'service_items') }}
),

categories as (
    select * from {{ source('ops', 'service_categories') }}
),

service_columns as (
    select * from {{ source('ops', 'service_columns') }}
),

renamed as (
    select
        -- ids
        items.id as item_id,
        categories.id as category_id,

        -- attributes
        items.name as item_name,
        categories.name as category_name,
        service_columns.name as column_name,
        items.standard_minutes,
        items.price as price_yuan,
        items.response_minutes,
        items.is_active

    from items
    inner join categories on items.category_id = categories.id
    inner join service_columns on categories.column_id = service_columns.id
)

select * from renamed
