{#- The indicator registry's group education: attendance from the daily counts, and the termly
    school census figures.
    One entry per indicator: its catalogue row and how it is computed (the fields:
    macros/indicators/registry.sql). -#}
{% macro indicators__education() %}
{%- set registry -%}
# Attendance rate from the daily counts: pupils attending over pupils on roll, summed over
# the school days of the month (percent), by school phase. Daily counts give a value for
# every school month; the termly census gives one per term, so it is not used here.
- indicator_id: school_attendance_rate
  label: School attendance rate
  family: education
  source: school_attendance_daily
  numerator: >-
    Pupils attending, summed over the school days of the month (daily counts per school)
  denominator: Pupils on roll summed over the same school days
  unit: percent
  direction_of_concern: down
  breakdowns: [school_phase]
  compute:
    events: fct_school_attendance_daily
    month: attendance_month
    numerator: pupils_attending
    denominator: pupils_on_roll

# Attendance rate of children with a social worker from the daily counts: attending over on
# roll, summed over the school days of the month (percent), by school phase.
- indicator_id: school_attendance_children_with_social_worker
  label: School attendance of children with a social worker
  family: education
  source: school_attendance_daily
  numerator: >-
    Children with a social worker attending, summed over the school days of the month (daily
    counts per school)
  denominator: Children with a social worker on roll summed over the same school days
  unit: percent
  direction_of_concern: down
  breakdowns: [school_phase]
  compute:
    events: fct_school_attendance_daily
    month: attendance_month
    numerator: coalesce(children_with_social_worker_attending, 0)
    denominator: coalesce(children_with_social_worker_on_roll, 0)

# Of the pupils on roll in the term (with at least one possible session), the share
# persistently absent (attended under 90% of possible sessions); dated to the month the
# term ends.
- indicator_id: persistent_absence
  label: Persistent absence
  family: education
  source: school_census
  numerator: >-
    Pupil enrolments in the term ending in the month that attended fewer than 90% of possible
    sessions
  denominator: Pupil enrolments in the term with at least one possible session
  unit: percent
  direction_of_concern: up
  months_covered: 4
  compute:
    events: fct_school_attendance
    month: term_end_month
    numerator: case when is_persistently_absent then 1 else 0 end
    denominator: case when is_persistently_absent is not null then 1 else 0 end
    coverage: term_ends

# Suspensions recorded in the term, dated to the month the term ends.
- indicator_id: suspensions
  label: Suspensions
  family: education
  source: school_census
  numerator: Suspensions recorded in the term ending in the month
  unit: count
  direction_of_concern: up
  months_covered: 4
  compute:
    events: fct_school_attendance
    month: term_end_month
    numerator: suspensions
    coverage: term_ends

# Permanent exclusions in the term, dated to the month the term ends.
- indicator_id: permanent_exclusions
  label: Permanent exclusions
  family: education
  source: school_census
  numerator: Pupils permanently excluded in the term ending in the month
  unit: count
  direction_of_concern: up
  months_covered: 4
  compute:
    events: fct_school_attendance
    month: term_end_month
    numerator: case when is_permanently_excluded then 1 else 0 end
    coverage: term_ends
{%- endset -%}
{{ return(indicator_entries(registry, 'education')) }}
{% endmacro %}
