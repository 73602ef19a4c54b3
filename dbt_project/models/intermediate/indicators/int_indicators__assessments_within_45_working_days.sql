{#- Of the assessments authorised in the month, the share authorised within 45 working days. -#}
{{ monthly_indicator(ref('fct_assessments'), 'authorised_month', 'assessments_within_45_working_days',
    numerator='case when is_within_45_working_days then 1 else 0 end',
    denominator='case when authorised_on is not null then 1 else 0 end', scale=100, coverage=coverage_of('cin_census')) }}
