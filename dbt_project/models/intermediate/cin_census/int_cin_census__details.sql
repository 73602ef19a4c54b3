{#- Each CINdetails record of each return with the child it belongs to and the referral it
    records, identified across returns by area, child and referral date. -#}
with

{{ import_ctes({
    'details': 'stg_cin_census__cin_details',
    'children': 'stg_cin_census__children',
}) }},

joined as (
    select
        details.cin_details_key,
        details.child_record_key,
        details.area_code,
        details.collection_year,
        children.la_child_id_pseudonym,
        children.upn_pseudonym,
        children.birth_month,
        children.expected_birth_month,
        children.sex,
        children.ethnicity_code,
        children.ethnicity_major_group,
        details.referral_date,
        details.referral_source_code,
        details.referral_source,
        details.referral_source_group,
        details.primary_need_code,
        details.primary_need,
        details.closure_date,
        details.reason_for_closure_code,
        details.initial_cpc_date,
        details.is_referral_nfa,
        details.source_file,
        details.source_line,
        case
            when details.referral_date is not null
                then {{ record_id('details.area_code', 'children.la_child_id_pseudonym',
                    'details.referral_date') }}
        end as referral_id
    from details
    inner join children
        on details.child_record_key = children.child_record_key
)

select * from joined
