{{ monthly_indicator(ref('fct_referrals'), 'referral_month', 're_referrals_within_12_months',
    breakdowns=['source_group', 'age_band'],
    numerator='case when is_re_referral_within_12_months then 1 else 0 end',
    denominator='1', scale=100, coverage=coverage_of('cin_census')) }}
