{{ rate_per_10000('int_indicators__cp_plans_started', 'cp_plans_started_per_10000') }}
