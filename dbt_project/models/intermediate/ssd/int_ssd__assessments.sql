{#- The SSD's assessments as the CIN census's: one row per area, child and start. -#}
with

{{ import_ctes({
    'assessments': 'stg_ssd__cin_assessments',
    'episodes': 'stg_ssd__cin_episodes',
}) }},

final as (
    {{ ssd_cin_event('assessments', 'assessment_id', 'assessment_key', 'assessment_key',
        ['authorised_on']) }}
)

select * from final
