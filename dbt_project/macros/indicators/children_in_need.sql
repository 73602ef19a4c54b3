{#- The indicator registry's group children_in_need: the CIN census: referrals, assessments, s47
    enquiries, ICPCs and child protection plans, and their rates per 10,000 children.
    One entry per indicator: its catalogue row and how it is computed (the fields:
    macros/indicators/registry.sql). -#}
{% macro indicators__children_in_need() %}
{%- set registry -%}
- indicator_id: referrals
  label: Referrals to children's social care
  family: social_care
  source: cin_census
  numerator: >-
    Referrals (one per child and referral date, across census returns) with a referral date in
    the month
  unit: count
  direction_of_concern: both
  breakdowns: [source_group, age_band, primary_need_code, sex, ethnicity_major_group, locality]
  fields_used: ['source_group:ReferralSource', 'primary_need_code:PrimaryNeedCode',
    'ethnicity_major_group:Ethnicity', 'locality:UPN', 'locality:linkage']
  compute:
    events: fct_referrals
    month: referral_month

- indicator_id: re_referrals_within_12_months
  label: Re-referrals within 12 months
  family: social_care
  source: cin_census
  numerator: >-
    Referrals in the month of a child whose previous referral was less than 12 calendar months
    before (a referral exactly 12 months after the previous one is not a re-referral)
  denominator: Referrals in the month
  unit: percent
  direction_of_concern: up
  breakdowns: [source_group, age_band]
  history_months: 12
  fields_used: ['source_group:ReferralSource']
  compute:
    events: fct_referrals
    month: referral_month
    numerator: case when is_re_referral_within_12_months then 1 else 0 end

- indicator_id: referrals_with_no_further_action
  label: Referrals with no further action
  family: social_care
  source: cin_census
  numerator: Referrals in the month recorded as no further action
  denominator: Referrals in the month
  unit: percent
  direction_of_concern: both
  breakdowns: [source_group]
  fields_used: ['source_group:ReferralSource']
  compute:
    events: fct_referrals
    month: referral_month
    numerator: case when is_referral_nfa then 1 else 0 end

- indicator_id: referrals_leading_to_s47
  label: Referrals leading to a section 47 enquiry
  family: social_care
  source: cin_census
  numerator: Referrals in the month whose episode had a section 47 enquiry
  denominator: Referrals in the month
  unit: percent
  direction_of_concern: both
  breakdowns: [source_group]
  fields_used: ['source_group:ReferralSource']
  compute:
    events: fct_referrals
    month: referral_month
    numerator: case when led_to_section47 then 1 else 0 end

- indicator_id: assessments_started
  label: Assessments started
  family: social_care
  source: cin_census
  numerator: Assessments with an actual start date in the month
  unit: count
  direction_of_concern: both
  compute:
    events: fct_assessments
    month: started_month

# Of the assessments authorised in the month, the share authorised within 45 working days.
- indicator_id: assessments_within_45_working_days
  label: Assessments completed within 45 working days
  family: social_care
  source: cin_census
  numerator: Assessments authorised in the month within 45 working days of their start
  denominator: Assessments authorised in the month
  unit: percent
  direction_of_concern: down
  compute:
    events: fct_assessments
    month: authorised_month
    numerator: case when is_within_45_working_days then 1 else 0 end
    denominator: case when authorised_on is not null then 1 else 0 end

# Two shares ('all' is not the sum of the groups'): macros/indicators/assessment_factors.sql.
- indicator_id: assessment_factors
  label: Assessments identifying each factor
  family: social_care
  source: cin_census
  numerator: >-
    Assessments authorised in the month that identified a factor of the group (all: at least one
    factor; code 21, no factors identified, does not count)
  denominator: Assessments authorised in the month
  unit: percent
  direction_of_concern: both
  breakdowns: [factor_group]
  compute:
    macro: assessment_factor_shares

- indicator_id: s47_enquiries
  label: Section 47 enquiries
  family: social_care
  source: cin_census
  numerator: Section 47 enquiries started in the month
  unit: count
  direction_of_concern: both
  compute:
    events: fct_section47_enquiries
    month: started_month

- indicator_id: icpcs
  label: Initial child protection conferences
  family: social_care
  source: cin_census
  numerator: ICPCs held in the month
  unit: count
  direction_of_concern: both
  compute:
    events: fct_section47_enquiries
    month: icpc_month

- indicator_id: s47_leading_to_icpc
  label: Section 47 enquiries leading to an ICPC
  family: social_care
  source: cin_census
  numerator: Section 47 enquiries started in the month that led to an ICPC
  denominator: Section 47 enquiries started in the month
  unit: percent
  direction_of_concern: both
  compute:
    events: fct_section47_enquiries
    month: started_month
    numerator: case when led_to_icpc then 1 else 0 end

# Of the ICPCs held in the month, the share held within 15 working days of the s47 start.
- indicator_id: icpcs_within_15_working_days
  label: ICPCs within 15 working days
  family: social_care
  source: cin_census
  numerator: ICPCs held in the month within 15 working days of the section 47 start
  denominator: ICPCs held in the month
  unit: percent
  direction_of_concern: down
  compute:
    events: fct_section47_enquiries
    month: icpc_month
    numerator: case when is_icpc_within_15_working_days then 1 else 0 end
    denominator: case when icpc_on is not null then 1 else 0 end

- indicator_id: cp_plans_started
  label: Child protection plans started
  family: social_care
  source: cin_census
  numerator: Child protection plans starting in the month
  unit: count
  direction_of_concern: both
  breakdowns: [initial_category_of_abuse_code]
  compute:
    events: fct_cp_plans
    month: started_month

- indicator_id: cp_plans_second_or_later
  label: Child protection plans that are a second or later plan
  family: social_care
  source: cin_census
  numerator: Plans starting in the month with a previous plan
  denominator: Plans starting in the month
  unit: percent
  direction_of_concern: up
  compute:
    events: fct_cp_plans
    month: started_month
    numerator: case when is_second_or_later_plan then 1 else 0 end

- indicator_id: cp_plans_ended
  label: Child protection plans ended
  family: social_care
  source: cin_census
  numerator: Child protection plans ending in the month
  unit: count
  direction_of_concern: both
  compute:
    events: fct_cp_plans
    month: ended_month

# Mean length in days of the plans that ended in the month.
- indicator_id: cp_plan_duration_days
  label: Length of child protection plans ended
  family: social_care
  source: cin_census
  numerator: Total days of the plans that ended in the month
  denominator: Plans that ended in the month
  unit: days
  direction_of_concern: both
  compute:
    events: fct_cp_plans
    month: ended_month
    numerator: coalesce(duration_days, 0)
    denominator: case when ended_on is not null then 1 else 0 end

- indicator_id: referrals_per_10000
  label: Referrals per 10,000 children
  family: social_care
  source: cin_census
  numerator: Referrals in the month
  denominator: Children aged 0 to 17 (mid-year estimate)
  unit: per_10000
  direction_of_concern: both
  breakdowns: [age_band, sex]
  compute:
    rate_per_10000_of: referrals

- indicator_id: s47_enquiries_per_10000
  label: Section 47 enquiries per 10,000 children
  family: social_care
  source: cin_census
  numerator: Section 47 enquiries started in the month
  denominator: Children aged 0 to 17 (mid-year estimate)
  unit: per_10000
  direction_of_concern: both
  compute:
    rate_per_10000_of: s47_enquiries

- indicator_id: cp_plans_started_per_10000
  label: Child protection plans started per 10,000 children
  family: social_care
  source: cin_census
  numerator: Child protection plans started in the month
  denominator: Children aged 0 to 17 (mid-year estimate)
  unit: per_10000
  direction_of_concern: both
  compute:
    rate_per_10000_of: cp_plans_started
{%- endset -%}
{{ return(indicator_entries(registry, 'children_in_need')) }}
{% endmacro %}
