{#- Each indicator is built by its own int_indicators__* model in the long shape below;
    adding an indicator means one catalogue row and one entry in this list. -#}
{%- set indicator_models = [
    'int_indicators__referrals',
    'int_indicators__re_referrals_within_12_months',
    'int_indicators__referrals_with_no_further_action',
    'int_indicators__referrals_leading_to_s47',
    'int_indicators__assessments_started',
    'int_indicators__assessments_within_45_working_days',
    'int_indicators__assessment_factors',
    'int_indicators__s47_enquiries',
    'int_indicators__icpcs',
    'int_indicators__s47_leading_to_icpc',
    'int_indicators__icpcs_within_15_working_days',
    'int_indicators__cp_plans_started',
    'int_indicators__cp_plans_second_or_later',
    'int_indicators__cp_plans_ended',
    'int_indicators__cp_plan_duration_days',
    'int_indicators__referrals_per_10000',
    'int_indicators__s47_enquiries_per_10000',
    'int_indicators__cp_plans_started_per_10000',
    'int_indicators__cla_starts',
    'int_indicators__cla_starts_previously_known',
    'int_indicators__cla_ceased',
    'int_indicators__cla_placement_moves',
    'int_indicators__cla_three_or_more_placements',
    'int_indicators__cla_missing_episodes',
    'int_indicators__health_ae_attendances',
    'int_indicators__health_emergency_admissions',
    'int_indicators__health_alcohol_related_admissions',
    'int_indicators__health_self_harm_admissions',
    'int_indicators__health_camhs_referrals',
    'int_indicators__health_camhs_referrals_accepted',
    'int_indicators__police_incidents',
    'int_indicators__police_domestic_abuse_incidents_with_children',
    'int_indicators__police_domestic_abuse_notified_to_social_care',
    'int_indicators__police_missing_child_reports',
    'int_indicators__police_antisocial_behaviour_incidents',
    'int_indicators__education_school_attendance_rate',
    'int_indicators__education_school_attendance_children_with_social_worker',
    'int_indicators__education_persistent_absence',
    'int_indicators__education_suspensions',
    'int_indicators__education_permanent_exclusions',
    'int_indicators__linked_referrals_known_to_other_partners',
    'int_indicators__linked_ae_attendances_known_to_social_care',
    'int_indicators__linked_domestic_abuse_incidents_with_known_children',
] -%}

with

indicators as (
    {% for model in indicator_models %}
    select
        area_code,
        month,
        indicator_id,
        breakdown_dimension,
        breakdown_value,
        cast(numerator as {{ dbt.type_float() }}) as numerator,
        cast(denominator as {{ dbt.type_float() }}) as denominator,
        cast(value as {{ dbt.type_float() }}) as value
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

catalogue as (
    select * from {{ ref('indicators') }}
),

final as (
    select
        indicators.area_code,
        indicators.month,
        indicators.indicator_id,
        indicators.breakdown_dimension,
        indicators.breakdown_value,
        indicators.numerator,
        indicators.denominator,
        indicators.value,
        catalogue.unit,
        catalogue.family
    from indicators
    inner join catalogue
        on indicators.indicator_id = catalogue.indicator_id
)

select * from final
