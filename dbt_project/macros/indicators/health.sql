{#- The indicator registry's group health: A&E attendances, hospital admissions and CAMHS
    referrals of children.
    One entry per indicator: its catalogue row and how it is computed (the fields:
    macros/indicators/registry.sql). -#}
{% macro indicators__health() %}
{%- set registry -%}
# A&E attendances of under-18s in the month, by age band at arrival.
- indicator_id: ae_attendances
  label: A&E attendances of children under 18
  family: health
  source: ae_attendances
  numerator: >-
    A&E attendances of under-18s arriving in the month (one per attendance, a re-delivered month
    counted once)
  unit: count
  direction_of_concern: both
  breakdowns: [age_band]
  compute:
    events: fct_ae_attendances
    month: arrival_month

# Emergency hospital admissions (admission method 21-28, 2A-2D) starting in the month.
- indicator_id: emergency_admissions
  label: Emergency hospital admissions of children
  family: health
  source: hospital_admissions
  numerator: >-
    Hospital spells of children starting in the month with an emergency admission method (21-28
    or 2A-2D)
  unit: count
  direction_of_concern: both
  breakdowns: [age_band]
  fields_used: ['all:ADMISSION_METHOD']
  compute:
    events: fct_hospital_admissions
    month: admission_month
    numerator: case when is_emergency then 1 else 0 end

# Hospital admissions in the month classified alcohol-related (seed icd10_conditions).
- indicator_id: alcohol_related_admissions
  label: Alcohol-related hospital admissions of children
  family: health
  source: hospital_admissions
  numerator: >-
    Hospital spells of children starting in the month with an alcohol-related primary diagnosis
    or external cause (seed icd10_conditions)
  unit: count
  direction_of_concern: up
  compute:
    events: fct_hospital_admissions
    month: admission_month
    numerator: case when is_alcohol_related then 1 else 0 end

# Hospital admissions in the month for intentional self-harm (external cause X60-X84).
- indicator_id: self_harm_admissions
  label: Hospital admissions of children for self-harm
  family: health
  source: hospital_admissions
  numerator: >-
    Hospital spells of children starting in the month with an intentional self-harm external
    cause (X60-X84)
  unit: count
  direction_of_concern: up
  breakdowns: [age_band]
  compute:
    events: fct_hospital_admissions
    month: admission_month
    numerator: case when is_self_harm then 1 else 0 end

# Referrals to CAMHS received in the month, by who referred.
- indicator_id: camhs_referrals
  label: Referrals to children and young people's mental health services
  family: health
  source: camhs_referrals
  numerator: CAMHS referrals received in the month
  unit: count
  direction_of_concern: both
  breakdowns: [referral_source_code]
  fields_used: ['referral_source_code:SOURCE_OF_REFERRAL']
  compute:
    events: fct_camhs_referrals
    month: referral_month

# Of the CAMHS referrals received in the month with a recorded decision, the share accepted.
- indicator_id: camhs_referrals_accepted
  label: CAMHS referrals accepted
  family: health
  source: camhs_referrals
  numerator: CAMHS referrals received in the month that the service accepted
  denominator: CAMHS referrals received in the month with a recorded decision
  unit: percent
  direction_of_concern: down
  compute:
    events: fct_camhs_referrals
    month: referral_month
    numerator: case when is_referral_accepted then 1 else 0 end
    denominator: case when is_referral_accepted is not null then 1 else 0 end
{%- endset -%}
{{ return(indicator_entries(registry, 'health')) }}
{% endmacro %}
