{#- The service catalogue: item, category, column (栏目), standard minutes and price. -#}
select
    item_id,
    item_name,
    category_id,
    category_name,
    column_name,
    standard_minutes,
    price_yuan,
    response_minutes,
    is_active
from {{ ref('stg_ops__service_items') }}
