{#- One row per contact (area, cont_contact_id): its row in the latest extract, the source
    decoded with the CIN census's referral source codes (the codes SSD's contact source
    takes, as the DfE's Annex A does) and the outcome's flags read from its JSON. -#}
{% call ssd_staged('ssd_contacts', 'cont_contact_id', 'cont_person_id', 'contact',
    code_lists={'referral_sources': 'cin_referral_sources'},
    joins=cin_code_join('referral_sources', 'latest.cont_contact_source_code')) -%}
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
{%- endcall %}
