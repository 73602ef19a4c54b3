{{ monthly_indicator(ref('fct_section47_enquiries'), 'started_month', 's47_enquiries', coverage=ref('int_cin_census__coverage_months')) }}
