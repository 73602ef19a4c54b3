with

{{ import_ctes({
    'details': source('cin_census', 'cin_details'),
    'referral_sources': 'cin_referral_sources',
    'primary_needs': 'cin_primary_needs',
}) }},

renamed as (
    select
        details.cin_details_key,
        details.child_key as child_record_key,
        details._area as area_code,
        cast(details._collection_period as integer) as collection_year,
        {{ parse_date('details.cin_referral_date') }} as referral_date,
        {{ referral_columns('details.referral_source', 'details.primary_need_code') }},
        {{ parse_date('details.cin_closure_date') }} as closure_date,
        upper(trim(details.reason_for_closure)) as reason_for_closure_code,
        {{ parse_date('details.date_of_initial_cpc') }} as initial_cpc_date,
        {{ parse_yes_no('details.referral_nfa') }} as is_referral_nfa,
        {{ lineage_columns('details') }}
    from details
    {{ referral_joins('details.referral_source', 'details.primary_need_code') }}
)

select * from renamed
