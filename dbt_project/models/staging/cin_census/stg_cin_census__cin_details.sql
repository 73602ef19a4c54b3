with

details as (
    select * from {{ source('cin_census', 'cin_details') }}
),

renamed as (
    select
        cin_details_key,
        child_key as child_record_key,
        _area as area_code,
        cast(_collection_period as integer) as collection_year,
        {{ parse_date('cin_referral_date') }} as referral_date,
        upper(trim(referral_source)) as referral_source_code,
        upper(trim(primary_need_code)) as primary_need_code,
        {{ parse_date('cin_closure_date') }} as closure_date,
        upper(trim(reason_for_closure)) as reason_for_closure_code,
        {{ parse_date('date_of_initial_cpc') }} as initial_cpc_date,
        {{ parse_yes_no('referral_nfa') }} as is_referral_nfa,
        _source_file as source_file,
        _record_line as source_line
    from details
)

select * from renamed
