{#- Hospital admissions in the month for intentional self-harm (external cause X60-X84). -#}
{{ monthly_indicator(ref('fct_hospital_admissions'), 'admission_month', 'self_harm_admissions',
    breakdowns=['age_band'], numerator='case when is_self_harm then 1 else 0 end',
    coverage=coverage_of('hospital_admissions')) }}
