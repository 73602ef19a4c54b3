{#- Of the A&E attendances of under-18s in the month, the share by a child known to
    children's social care at arrival (a CIN episode or episode of care open in the 12 months
    up to the arrival, through the person linkage). -#}
{{ monthly_indicator(ref('fct_ae_attendances'), 'arrival_month', 'ae_attendances_known_to_social_care',
    breakdowns=['age_band'],
    numerator='case when is_known_to_social_care then 1 else 0 end',
    denominator='1', scale=100, coverage=coverage_of('ae_attendances')) }}
