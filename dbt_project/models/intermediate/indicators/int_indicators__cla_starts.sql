{#- Periods of care starting in the month (first episode RNE S). -#}
{{ monthly_indicator(
    '(select * from ' ~ ref('fct_cla_periods_of_care') ~ ' where is_start_recorded) as starts',
    'started_month', 'cla_starts',
    breakdowns=['legal_status_group', 'age_band', 'ethnicity_major_group', 'is_uasc'],
    coverage=coverage_of('ssda903')) }}
