{#- Referrals to CAMHS received in the month, by who referred. -#}
{{ monthly_indicator(ref('fct_camhs_referrals'), 'referral_month', 'camhs_referrals',
    breakdowns=['referral_source_code'], coverage=coverage_of('camhs_referrals')) }}
