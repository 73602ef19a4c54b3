{#- Of the referrals in the month, the share whose child had contact with another partner
    (health or police) in the 12 months before the referral. -#}
{{ monthly_indicator(ref('fct_referrals'), 'referral_month', 'referrals_known_to_other_partners',
    breakdowns=['source_group'],
    numerator='case when is_known_to_other_partner_in_previous_12_months then 1 else 0 end',
    denominator='1', scale=100, coverage=coverage_of('cin_census')) }}
