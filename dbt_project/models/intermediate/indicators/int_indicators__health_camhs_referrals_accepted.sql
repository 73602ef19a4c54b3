{#- Of the CAMHS referrals received in the month with a recorded decision, the share accepted. -#}
{{ monthly_indicator(ref('fct_camhs_referrals'), 'referral_month', 'camhs_referrals_accepted',
    numerator='case when is_referral_accepted then 1 else 0 end',
    denominator='case when is_referral_accepted is not null then 1 else 0 end', scale=100,
    coverage=coverage_of('camhs_referrals')) }}
