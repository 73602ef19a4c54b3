{#- The indicator registry's group looked_after: SSDA903: periods of care started and ceased,
    placements and missing episodes.
    One entry per indicator: its catalogue row and how it is computed (the fields:
    macros/indicators/registry.sql). -#}
{% macro indicators__looked_after() %}
{%- set registry -%}
# Periods of care starting in the month (first episode RNE S).
- indicator_id: cla_starts
  label: Children starting to be looked after
  family: social_care
  source: ssda903
  numerator: >-
    Periods of care starting in the month (first episode with RNE S, episodes deduplicated
    across returns)
  unit: count
  direction_of_concern: both
  breakdowns: [legal_status_group, age_band, ethnicity_major_group, is_uasc]
  fields_used: ['legal_status_group:LS', 'ethnicity_major_group:ETHNIC']
  compute:
    events: fct_cla_periods_of_care
    where: is_start_recorded
    month: started_month

# Of the periods of care starting in the month, the share of children with a CIN episode or
# child protection plan in the 12 months before the start.
- indicator_id: cla_starts_previously_known
  label: Children starting to be looked after who were known to social care
  family: social_care
  source: ssda903
  numerator: >-
    Periods of care starting in the month of a child with a CIN episode or child protection plan
    open in the 12 months up to the start
  denominator: Periods of care starting in the month
  unit: percent
  direction_of_concern: down
  history_months: 12
  compute:
    events: fct_cla_periods_of_care
    where: is_start_recorded
    month: started_month
    numerator: case when is_previously_known then 1 else 0 end

# Periods of care ending in the month, by the group of the reason care ceased.
- indicator_id: cla_ceased
  label: Children ceasing to be looked after
  family: social_care
  source: ssda903
  numerator: >-
    Periods of care ending in the month (last episode with a reason ceased that ends care)
  unit: count
  direction_of_concern: both
  breakdowns: [reason_ceased_group]
  fields_used: ['all:DEC']
  compute:
    events: fct_cla_periods_of_care
    where: ended_on is not null
    month: ended_month

# Placement moves (new episodes with RNE P, B, T or U within a period of care) in the month.
- indicator_id: cla_placement_moves
  label: Placement moves of children looked after
  family: social_care
  source: ssda903
  numerator: >-
    New placements within a period of care in the month (episodes with RNE P, B, T or U that are
    not the first of their period)
  unit: count
  direction_of_concern: up
  breakdowns: [age_band]
  compute:
    events: fct_cla_placement_moves
    month: moved_month

# Of the children looked after at any time in the month, the share with three or more
# placements in the 12 months to the month end.
- indicator_id: cla_three_or_more_placements
  label: Children looked after with three or more placements in 12 months
  family: social_care
  source: ssda903
  numerator: >-
    Children looked after at any time in the month with three or more placements in the 12
    months to the month end
  denominator: Children looked after at any time in the month
  unit: percent
  direction_of_concern: up
  months_covered: 12
  history_months: 12
  fields_used: ['all:DEC']
  compute:
    events: fct_cla_children_in_care_monthly
    month: month
    numerator: case when has_three_or_more_placements then 1 else 0 end

# Episodes missing (M) or away without authorisation (A) from placement starting in the month.
- indicator_id: cla_missing_episodes
  label: Missing episodes of children looked after
  family: social_care
  source: ssda903
  numerator: >-
    Episodes missing (M) or away from placement without authorisation (A) starting in the month
  unit: count
  direction_of_concern: up
  breakdowns: [missing_type_code]
  compute:
    events: fct_cla_missing_episodes
    month: missing_month
{%- endset -%}
{{ return(indicator_entries(registry, 'looked_after')) }}
{% endmacro %}
