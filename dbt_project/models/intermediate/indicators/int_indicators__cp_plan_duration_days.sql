{#- Mean length in days of the plans that ended in the month. -#}
{{ monthly_indicator(ref('fct_cp_plans'), 'ended_month', 'cp_plan_duration_days',
    numerator='coalesce(duration_days, 0)', denominator='case when ended_on is not null then 1 else 0 end', coverage=coverage_of('cin_census')) }}
