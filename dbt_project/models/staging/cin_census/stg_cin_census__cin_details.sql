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
        nullif(upper(trim(details.referral_source)), '') as referral_source_code,
        referral_sources.label as referral_source,
        {{ decoded_or_reason("nullif(upper(trim(details.referral_source)), '')",
            'referral_sources.code', 'referral_sources.source_group') }} as referral_source_group,
        nullif(upper(trim(details.primary_need_code)), '') as primary_need_code,
        primary_needs.label as primary_need,
        {{ parse_date('details.cin_closure_date') }} as closure_date,
        upper(trim(details.reason_for_closure)) as reason_for_closure_code,
        {{ parse_date('details.date_of_initial_cpc') }} as initial_cpc_date,
        {{ parse_yes_no('details.referral_nfa') }} as is_referral_nfa,
        {{ lineage_columns('details') }}
    from details
    left join referral_sources
        on upper(trim(details.referral_source)) = referral_sources.code
    left join primary_needs
        on upper(trim(details.primary_need_code)) = primary_needs.code
)

select * from renamed
