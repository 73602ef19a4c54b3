{#- One row per assessment: the same assessment in several returns is one (latest return);
    the SSD's in the months it feeds (fed_records). -#}
with

{{ import_ctes({
    'assessments': 'stg_cin_census__assessments',
    'details': 'int_cin_census__details',
    'from_ssd': 'int_ssd__assessments',
    'calendar': 'int_calendar__days',
}) }},

returned as (
    {{ cin_census_event_across_returns(
        'assessments', 'assessment_id', 'assessment_key', ['started_on', 'authorised_on']) }}
),

fed as (
    {{ fed_records('returned', 'from_ssd', 'assessment_id', 'started_on',
        ['assessment_id', 'assessment_key', 'referral_id', 'area_code', 'la_child_id_pseudonym',
            'started_on', 'authorised_on', 'collection_year'],
        carried={'authorised_on': 'authorised_on'}) }}
),

final as (
    {{ cin_census_working_days_to('fed', 'authorised', 'working_days_to_authorisation') }}
)

select * from final
