{{ monthly_indicator(ref('fct_cp_plans'), 'started_month', 'cp_plans_started',
    breakdowns=['initial_category_of_abuse_code'], coverage=ref('int_cin_census__coverage_months')) }}
