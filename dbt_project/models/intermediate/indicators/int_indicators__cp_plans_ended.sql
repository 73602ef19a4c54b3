{{ monthly_indicator(ref('fct_cp_plans'), 'ended_month', 'cp_plans_ended', coverage=coverage_of('cin_census')) }}
