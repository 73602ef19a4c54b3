{#- The indicator registry's group linked: figures that join one partner's records to another's
    through the person linkage.
    One entry per indicator: its catalogue row and how it is computed (the fields:
    macros/indicators/registry.sql). -#}
{% macro indicators__linked() %}
{%- set registry -%}
# Of the referrals in the month, the share whose child had contact with another partner
# (health or police) in the 12 months before the referral.
- indicator_id: referrals_known_to_other_partners
  label: Referred children known to another partner
  family: linked
  source: cin_census
  numerator: >-
    Referrals in the month of a child with a health or police contact in the 12 months before
    the referral (person linkage)
  denominator: Referrals in the month
  unit: percent
  direction_of_concern: both
  breakdowns: [source_group]
  history_months: 12
  fields_used: ['all:UPN', 'all:linkage', 'source_group:ReferralSource']
  compute:
    events: fct_referrals
    month: referral_month
    numerator: case when is_known_to_other_partner_in_previous_12_months then 1 else 0 end

# Of the A&E attendances of under-18s in the month, the share by a child known to
# children's social care at arrival (a CIN episode or episode of care open in the 12 months
# up to the arrival, through the person linkage).
- indicator_id: ae_attendances_known_to_social_care
  label: A&E attendances of children known to social care
  family: linked
  source: ae_attendances
  numerator: >-
    A&E attendances in the month of a child with a CIN episode or episode of care open in the 12
    months up to the arrival (person linkage)
  denominator: A&E attendances of under-18s in the month
  unit: percent
  direction_of_concern: up
  breakdowns: [age_band]
  history_months: 12
  fields_used: ['all:NHS_NUMBER', 'all:linkage']
  compute:
    events: fct_ae_attendances
    month: arrival_month
    numerator: case when is_known_to_social_care then 1 else 0 end

# Of the domestic abuse incidents in the month with children present, the share that
# involved a child known to children's social care at the time.
- indicator_id: domestic_abuse_incidents_with_known_children
  label: Domestic abuse incidents involving children known to social care
  family: linked
  source: police_incidents
  numerator: >-
    Domestic abuse incidents with children present in the month involving a child with a CIN
    episode or episode of care open in the 12 months up to the incident (person linkage)
  denominator: Domestic abuse incidents with children present in the month
  unit: percent
  direction_of_concern: both
  history_months: 12
  fields_used: ['all:INCIDENT_TYPE', 'all:linkage']
  compute:
    events: fct_police_incidents
    month: incident_month
    numerator: >-
      case when incident_type_code = 'domestic_abuse' and has_children_present and
      involves_child_known_to_social_care then 1 else 0 end
    denominator: >-
      case when incident_type_code = 'domestic_abuse' and has_children_present then 1 else 0 end
{%- endset -%}
{{ return(indicator_entries(registry, 'linked')) }}
{% endmacro %}
