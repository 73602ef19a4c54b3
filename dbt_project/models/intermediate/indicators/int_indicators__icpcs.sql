{{ monthly_indicator(ref('fct_section47_enquiries'), 'icpc_month', 'icpcs', coverage=coverage_of('cin_census')) }}
