{#- One row per children in need episode (area, cine_referral_id): its row in the latest
    extract, which has its closure once it closed; codes decoded as the CIN census's. -#}
{% call ssd_staged('ssd_cin_episodes', 'cine_referral_id', 'cine_person_id', 'cin_episode',
    code_lists={'referral_sources': 'cin_referral_sources', 'primary_needs': 'cin_primary_needs'},
    joins=referral_joins(
        'latest.cine_referral_source_code', 'latest.cine_cin_primary_need_code')) -%}
        {{ ssd_date('latest.cine_referral_date') }} as referral_date,
        {{ referral_columns(
            'latest.cine_referral_source_code', 'latest.cine_cin_primary_need_code') }},
        {{ parse_yes_no('latest.cine_referral_nfa') }} as is_referral_nfa,
        {{ ssd_date('latest.cine_close_date') }} as closure_date,
        nullif(upper(trim(latest.cine_close_reason)), '') as reason_for_closure_code,
{%- endcall %}
