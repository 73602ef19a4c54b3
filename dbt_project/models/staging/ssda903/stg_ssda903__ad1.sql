{#- One row per adopted child (area, child), from the latest return that holds it. -#}
select
    {{ ssda903_return_columns() }},
    {{ ssda903_child_columns() }},
    {{ parse_date('date_int') }} as decision_to_adopt_date,
    {{ parse_date('date_match') }} as matched_date,
    {{ parse_yes_no('foster_care') }} as adopted_by_foster_carer,
    {{ integer_or_null('nb_adoptr') }} as adopters_count,
    nullif(trim(sex_adoptr), '') as adopters_sex_code,
    nullif(trim(ls_adoptr), '') as adopters_legal_status_code,
    {{ lineage_columns() }}
from ({{ ssda903_latest('ssda903_ad1', 'child') }}) as latest
