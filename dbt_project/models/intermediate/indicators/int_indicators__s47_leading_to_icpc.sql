{{ monthly_indicator(ref('fct_section47_enquiries'), 'started_month', 's47_leading_to_icpc',
    numerator='case when led_to_icpc then 1 else 0 end', denominator='1', scale=100, coverage=coverage_of('cin_census')) }}
