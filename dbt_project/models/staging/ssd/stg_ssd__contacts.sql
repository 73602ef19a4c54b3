{#- One row per contact (area, cont_contact_id): its row in the latest extract, the source
    decoded with the CIN census's referral source codes (the codes SSD's contact source
    takes, as the DfE's Annex A does) and the outcome's flags read from its JSON. -#}
with

latest as (
    {{ ssd_latest_rows('ssd_contacts', 'cont_contact_id') }}
),

referral_sources as (
    select * from {{ ref('cin_referral_sources') }}
),

renamed as (
    select
        {{ ssd_object_columns('cont_person_id', 'cont_contact_id', 'contact') }},
        {{ timestamp_or_null('latest.cont_contact_date') }} as contacted_at,
        {{ ssd_date('latest.cont_contact_date') }} as contact_date,
        {{ cin_code_columns(
            'latest.cont_contact_source_code', 'referral_sources', 'contact_source') }},
        {{ referral_source_group('latest.cont_contact_source_code') }} as source_group,
        nullif(trim(latest.cont_contact_source_desc), '') as contact_source_description,
        {%- for flag in ['NEW_REFERRAL', 'EXISTING_REFERRAL', 'CP_ENQUIRY', 'NFA', 'ADVICE'] %}
        {{ ssd_outcome_flag('latest.cont_contact_outcome_json', flag ~ '_FLAG') }}
            as is_outcome_{{ flag | lower }},
        {%- endfor %}
        {{ lineage_columns('latest') }}
    from latest
    {{ cin_code_join('referral_sources', 'latest.cont_contact_source_code') }}
    where latest.cont_contact_id is not null
)

select * from renamed
