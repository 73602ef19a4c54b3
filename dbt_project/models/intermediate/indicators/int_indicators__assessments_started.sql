{{ monthly_indicator(ref('fct_assessments'), 'started_month', 'assessments_started', coverage=coverage_of('cin_census')) }}
