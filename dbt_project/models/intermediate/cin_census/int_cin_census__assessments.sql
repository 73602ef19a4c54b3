{#- One row per assessment: the same assessment in several returns is one (latest return). -#}
with

{{ import_ctes({
    'assessments': 'stg_cin_census__assessments',
    'details': 'int_cin_census__details',
    'calendar': 'int_calendar__days',
}) }},

deduplicated as (
    {{ cin_census_event_across_returns(
        'assessments', 'assessment_id', 'assessment_key', ['started_on', 'authorised_on']) }}
),

final as (
    {{ cin_census_working_days_to('deduplicated', 'authorised', 'working_days_to_authorisation') }}
)

select * from final
