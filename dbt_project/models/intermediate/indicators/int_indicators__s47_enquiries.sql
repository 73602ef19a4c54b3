{{ monthly_indicator(ref('fct_section47_enquiries'), 'started_month', 's47_enquiries', coverage=coverage_of('cin_census')) }}
