{{ monthly_indicator(ref('fct_referrals'), 'referral_month', 'referrals',
    breakdowns=['source_group', 'age_band', 'primary_need_code', 'sex', 'ethnicity_major_group', 'locality'], coverage=coverage_of('cin_census')) }}
