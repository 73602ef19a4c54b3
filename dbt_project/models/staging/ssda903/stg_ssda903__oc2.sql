{#- One row per child per collection year: OC2 outcomes are measured for each year's return,
    so rows of different years are different facts, not duplicates (within a year, the
    latest load wins). -#}
select
    {{ ssda903_return_columns() }},
    {{ ssda903_child_columns() }},
    {{ integer_or_null('sdq_score') }} as sdq_score,
    nullif(trim(sdq_reason), '') as sdq_reason_code,
    {{ parse_yes_no('convicted') }} as is_convicted,
    {{ parse_yes_no('health_check') }} as had_health_check,
    {{ parse_yes_no('immunisations') }} as immunisations_up_to_date,
    {{ parse_yes_no('teeth_check') }} as had_teeth_check,
    {{ parse_yes_no('health_assessment') }} as had_health_assessment,
    {{ parse_yes_no('substance_misuse') }} as has_substance_misuse_problem,
    {{ parse_yes_no('intervention_received') }} as received_substance_misuse_intervention,
    {{ parse_yes_no('intervention_offered') }} as offered_substance_misuse_intervention,
    {{ lineage_columns() }}
from ({{ ssda903_latest('ssda903_oc2', 'child, _collection_period') }}) as latest
