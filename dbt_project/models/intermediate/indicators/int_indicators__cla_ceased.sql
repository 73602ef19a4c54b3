{#- Periods of care ending in the month, by the group of the reason care ceased. -#}
{{ monthly_indicator(
    '(select * from ' ~ ref('fct_cla_periods_of_care') ~ ' where ended_on is not null) as ceased',
    'ended_month', 'cla_ceased', breakdowns=['reason_ceased_group'],
    coverage=coverage_of('ssda903')) }}
