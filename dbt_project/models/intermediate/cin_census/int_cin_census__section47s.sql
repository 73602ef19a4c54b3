{#- One row per s47 enquiry across returns, with its initial child protection conference. -#}
with

{{ import_ctes({
    'enquiries': 'stg_cin_census__section47s',
    'details': 'int_cin_census__details',
    'calendar': 'int_calendar__days',
}) }},

deduplicated as (
    {{ cin_census_event_across_returns(
        'enquiries', 'section47_id', 'section47_key',
        ['started_on', 'icpc_on', 'is_icpc_not_required']) }}
),

final as (
    {{ cin_census_working_days_to('deduplicated', 'icpc', 'working_days_to_icpc') }}
)

select * from final
