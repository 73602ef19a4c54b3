{{ rate_per_10000('int_indicators__referrals', 'referrals_per_10000') }}
