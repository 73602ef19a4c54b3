{{ monthly_indicator(ref('fct_cp_plans'), 'started_month', 'cp_plans_started',
    breakdowns=['initial_category_of_abuse_code'], coverage=coverage_of('cin_census')) }}
