{{ monthly_indicator(ref('fct_assessments'), 'started_month', 'assessments_started', coverage=ref('int_cin_census__coverage_months')) }}
