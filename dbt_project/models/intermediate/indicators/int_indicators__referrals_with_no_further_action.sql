{{ monthly_indicator(ref('fct_referrals'), 'referral_month', 'referrals_with_no_further_action',
    breakdowns=['source_group'],
    numerator='case when is_referral_nfa then 1 else 0 end',
    denominator='1', scale=100, coverage=coverage_of('cin_census')) }}
