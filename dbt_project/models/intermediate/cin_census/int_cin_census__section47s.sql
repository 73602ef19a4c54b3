{#- One row per s47 enquiry across returns, with its initial child protection conference;
    the SSD's in the months it feeds (fed_records). -#}
with

{{ import_ctes({
    'enquiries': 'stg_cin_census__section47s',
    'details': 'int_cin_census__details',
    'from_ssd': 'int_ssd__section47s',
    'calendar': 'int_calendar__days',
}) }},

returned as (
    {{ cin_census_event_across_returns(
        'enquiries', 'section47_id', 'section47_key',
        ['started_on', 'icpc_on', 'is_icpc_not_required']) }}
),

fed as (
    {{ fed_records('returned', 'from_ssd', 'section47_id', 'started_on',
        ['section47_id', 'section47_key', 'referral_id', 'area_code', 'la_child_id_pseudonym',
            'started_on', 'icpc_on', 'is_icpc_not_required', 'collection_year'],
        carried={'icpc_on': 'icpc_on'}) }}
),

final as (
    {{ cin_census_working_days_to('fed', 'icpc', 'working_days_to_icpc') }}
)

select * from final
