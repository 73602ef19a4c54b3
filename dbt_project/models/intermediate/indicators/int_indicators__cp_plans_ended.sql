{{ monthly_indicator(ref('fct_cp_plans'), 'ended_month', 'cp_plans_ended', coverage=ref('int_cin_census__coverage_months')) }}
