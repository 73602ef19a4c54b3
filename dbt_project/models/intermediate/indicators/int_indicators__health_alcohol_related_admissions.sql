{#- Hospital admissions in the month classified alcohol-related (seed icd10_conditions). -#}
{{ monthly_indicator(ref('fct_hospital_admissions'), 'admission_month', 'alcohol_related_admissions',
    numerator='case when is_alcohol_related then 1 else 0 end',
    coverage=coverage_of('hospital_admissions')) }}
