{#- Subsidy standards with their history (5.3.2): every parameter ever in force or proposed,
    its recipient identity, amount and the months it applied. -#}
select
    parameter_id,
    subsidy_type,
    coalesce(hardship_type, '不限') as hardship_type,
    age_min,
    age_max,
    coalesce(ability_level, '不限') as ability_level,
    case residence when 'home' then '居家' when 'institution' then '机构' else '不限' end
        as residence,
    amount_fen,
    round(amount_fen / 100.0, 2) as amount_yuan,
    effective_from,
    effective_to,
    parameter_status,
    is_assumed,
    source_note,
    replaces_parameter_id,
    approved_at
from {{ ref('stg_ops__subsidy_parameters') }}
