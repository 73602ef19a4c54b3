{{ monthly_indicator(ref('fct_cp_plans'), 'started_month', 'cp_plans_second_or_later',
    numerator='case when is_second_or_later_plan then 1 else 0 end', denominator='1', scale=100, coverage=coverage_of('cin_census')) }}
