{#- Of the periods of care starting in the month, the share of children with a CIN episode or
    child protection plan in the 12 months before the start. -#}
{{ monthly_indicator(
    '(select * from ' ~ ref('fct_cla_periods_of_care') ~ ' where is_start_recorded) as starts',
    'started_month', 'cla_starts_previously_known',
    numerator='case when is_previously_known then 1 else 0 end', denominator='1', scale=100,
    coverage=coverage_of('ssda903')) }}
