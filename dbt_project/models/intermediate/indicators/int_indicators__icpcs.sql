{{ monthly_indicator(ref('fct_section47_enquiries'), 'icpc_month', 'icpcs', coverage=ref('int_cin_census__coverage_months')) }}
