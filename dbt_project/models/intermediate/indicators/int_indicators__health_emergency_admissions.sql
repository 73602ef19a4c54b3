{#- Emergency hospital admissions (admission method 21-28, 2A-2D) starting in the month. -#}
{{ monthly_indicator(ref('fct_hospital_admissions'), 'admission_month', 'emergency_admissions',
    breakdowns=['age_band'], numerator='case when is_emergency then 1 else 0 end',
    coverage=coverage_of('hospital_admissions')) }}
