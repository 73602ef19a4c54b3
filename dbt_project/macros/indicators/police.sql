{#- The indicator registry's group police: incidents involving children.
    One entry per indicator: its catalogue row and how it is computed (the fields:
    macros/indicators/registry.sql). -#}
{% macro indicators__police() %}
{%- set registry -%}
# Police incidents involving children in the month, by incident type.
- indicator_id: police_incidents
  label: Police incidents involving children
  family: police
  source: police_incidents
  numerator: Police incidents involving children in the month (one per incident)
  unit: count
  direction_of_concern: both
  breakdowns: [incident_type_code]
  fields_used: ['incident_type_code:INCIDENT_TYPE']
  compute:
    events: fct_police_incidents
    month: incident_month

# Domestic abuse incidents in the month with children present.
- indicator_id: domestic_abuse_incidents_with_children
  label: Domestic abuse incidents with children present
  family: police
  source: police_incidents
  numerator: Domestic abuse incidents in the month with children present
  unit: count
  direction_of_concern: up
  fields_used: ['all:INCIDENT_TYPE']
  compute:
    events: fct_police_incidents
    month: incident_month
    numerator: >-
      case when incident_type_code = 'domestic_abuse' and has_children_present then 1 else 0 end

# Of the domestic abuse incidents in the month with children present, the share notified
# to children's social care.
- indicator_id: domestic_abuse_notified_to_social_care
  label: Domestic abuse incidents with children notified to social care
  family: police
  source: police_incidents
  numerator: >-
    Domestic abuse incidents with children present in the month that were notified to children's
    social care
  denominator: Domestic abuse incidents with children present in the month
  unit: percent
  direction_of_concern: down
  fields_used: ['all:INCIDENT_TYPE']
  compute:
    events: fct_police_incidents
    month: incident_month
    numerator: >-
      case when incident_type_code = 'domestic_abuse' and has_children_present and
      is_notified_to_csc then 1 else 0 end
    denominator: >-
      case when incident_type_code = 'domestic_abuse' and has_children_present then 1 else 0 end

# Missing-child reports to the police in the month.
- indicator_id: missing_child_reports
  label: Missing child reports
  family: police
  source: police_incidents
  numerator: Missing-child reports to the police in the month
  unit: count
  direction_of_concern: up
  fields_used: ['all:INCIDENT_TYPE']
  compute:
    events: fct_police_incidents
    month: incident_month
    numerator: case when incident_type_code = 'missing_child' then 1 else 0 end

# Anti-social behaviour incidents involving children in the month.
- indicator_id: antisocial_behaviour_incidents
  label: Anti-social behaviour incidents involving children
  family: police
  source: police_incidents
  numerator: Anti-social behaviour incidents involving children in the month
  unit: count
  direction_of_concern: up
  fields_used: ['all:INCIDENT_TYPE']
  compute:
    events: fct_police_incidents
    month: incident_month
    numerator: case when incident_type_code = 'antisocial_behaviour' then 1 else 0 end
{%- endset -%}
{{ return(indicator_entries(registry, 'police')) }}
{% endmacro %}
