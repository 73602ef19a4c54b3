{{ monthly_indicator(ref('fct_referrals'), 'referral_month', 'referrals',
    breakdowns=['source_group', 'age_band', 'primary_need_code', 'sex'], coverage=ref('int_cin_census__coverage_months')) }}
