{#- One row per child protection plan (area, cppl_cp_plan_id): its row in the latest
    extract, which has its end once it ended; categories decoded as the CIN census's. -#}
{% call ssd_staged('ssd_cp_plans', 'cppl_cp_plan_id', 'cppl_person_id', 'cp_plan',
    code_lists={'categories': 'cin_categories_of_abuse'},
    joins=abuse_category_joins(
        'latest.cppl_cp_plan_initial_category', 'latest.cppl_cp_plan_latest_category')) -%}
        nullif(trim(latest.cppl_referral_id), '') as cin_episode_id,
        nullif(trim(latest.cppl_icpc_id), '') as icpc_id,
        {{ ssd_date('latest.cppl_cp_plan_start_date') }} as started_on,
        {{ ssd_date('latest.cppl_cp_plan_end_date') }} as ended_on,
        {{ abuse_category_columns(
            'latest.cppl_cp_plan_initial_category', 'latest.cppl_cp_plan_latest_category') }},
        {{ parse_yes_no('latest.cppl_cp_plan_ola') }} as is_other_authority_plan,
{%- endcall %}
