{#- Episodes missing (M) or away without authorisation (A) from placement starting in the month. -#}
{{ monthly_indicator(ref('fct_cla_missing_episodes'), 'missing_month', 'cla_missing_episodes',
    breakdowns=['missing_type_code'], coverage=coverage_of('ssda903')) }}
