{#- One row per contact (area, cont_contact_id): its row in the latest extract, the source
    decoded with the CIN census's referral source codes (the codes SSD's contact source
    takes, as the DfE's Annex A does) and the outcome's flags read from its JSON. -#}
with

latest as (
    {{ one_row_per(
        source('ssd', 'ssd_contacts'), '_area, cont_contact_id', latest_extract_first(),
        count_as='copies_delivered') }}
),

referral_sources as (
    select * from {{ ref('cin_referral_sources') }}
),

renamed as (
    select
        {{ dbt.hash(dbt.concat(["latest._area", "'|'", "latest.cont_contact_id"])) }} as contact_key,
        latest._area as area_code,
        latest.cont_contact_id as contact_id,
        latest.cont_person_id as la_child_id_pseudonym,
        latest.copies_delivered,
        {{ timestamp_or_null('latest.cont_contact_date') }} as contacted_at,
        {{ ssd_date('latest.cont_contact_date') }} as contact_date,
        nullif(upper(trim(latest.cont_contact_source_code)), '') as contact_source_code,
        referral_sources.label as contact_source,
        {{ decoded_or_reason("nullif(upper(trim(latest.cont_contact_source_code)), '')",
            'referral_sources.code', 'referral_sources.source_group') }} as source_group,
        nullif(trim(latest.cont_contact_source_desc), '') as contact_source_description,
        {{ ssd_outcome_flag('latest.cont_contact_outcome_json', 'NEW_REFERRAL_FLAG') }}
            as is_outcome_new_referral,
        {{ ssd_outcome_flag('latest.cont_contact_outcome_json', 'EXISTING_REFERRAL_FLAG') }}
            as is_outcome_existing_referral,
        {{ ssd_outcome_flag('latest.cont_contact_outcome_json', 'CP_ENQUIRY_FLAG') }}
            as is_outcome_cp_enquiry,
        {{ ssd_outcome_flag('latest.cont_contact_outcome_json', 'NFA_FLAG') }} as is_outcome_nfa,
        {{ ssd_outcome_flag('latest.cont_contact_outcome_json', 'ADVICE_FLAG') }} as is_outcome_advice,
        {{ lineage_columns('latest') }}
    from latest
    left join referral_sources
        on upper(trim(latest.cont_contact_source_code)) = referral_sources.code
    where latest.cont_contact_id is not null
)

select * from renamed
