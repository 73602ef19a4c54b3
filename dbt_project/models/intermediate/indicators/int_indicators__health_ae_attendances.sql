{#- A&E attendances of under-18s in the month, by age band at arrival. -#}
{{ monthly_indicator(ref('fct_ae_attendances'), 'arrival_month', 'ae_attendances',
    breakdowns=['age_band'], coverage=coverage_of('ae_attendances')) }}
