{{ monthly_indicator(ref('fct_referrals'), 'referral_month', 'referrals_leading_to_s47',
    breakdowns=['source_group'],
    numerator='case when led_to_section47 then 1 else 0 end',
    denominator='1', scale=100, coverage=coverage_of('cin_census')) }}
