{#- The indicator registry's group ssd: what the Standard Safeguarding Dataset holds that
    the annual returns do not (contacts, early help), month by month as the authority's
    extracts arrive. One entry per indicator: its catalogue row and how it is computed (the
    fields: macros/indicators/registry.sql). -#}
{% macro indicators__ssd() %}
{%- set registry -%}
# Contacts received by children's social care in the month, by the source's group.
- indicator_id: contacts
  label: Contacts to children's social care
  family: social_care
  source: ssd
  numerator: Contacts received by children's social care in the month (SSD ssd_contacts)
  unit: count
  direction_of_concern: both
  breakdowns: [source_group]
  fields_used: ['source_group:cont_contact_source_code']
  compute:
    events: fct_contacts
    month: contact_month

# Of the contacts in the month, the share that led to a referral (fct_contacts states the
# rule: SSD's outcome, or a CIN census referral of the child within 30 days).
- indicator_id: contacts_leading_to_referral
  label: Contacts leading to a referral
  family: social_care
  source: ssd
  numerator: >-
    Contacts in the month that led to a referral: SSD's outcome says so (NEW_REFERRAL_FLAG), or
    the CIN census has a referral of the same child on the day of the contact or in the 30 days
    after it
  denominator: Contacts received by children's social care in the month
  unit: percent
  direction_of_concern: both
  breakdowns: [source_group]
  fields_used: ['source_group:cont_contact_source_code', 'all:cont_contact_outcome_json']
  compute:
    events: fct_contacts
    month: contact_month
    numerator: case when led_to_referral then 1 else 0 end

# Early help episodes that started in the month.
- indicator_id: early_help_episodes_started
  label: Early help episodes started
  family: social_care
  source: ssd
  numerator: Early help episodes (SSD ssd_early_help_episodes) with a start date in the month
  unit: count
  direction_of_concern: both
  compute:
    events: fct_early_help_episodes
    month: episode_start_month
{%- endset -%}
{{ return(indicator_entries(registry, 'ssd')) }}
{% endmacro %}
