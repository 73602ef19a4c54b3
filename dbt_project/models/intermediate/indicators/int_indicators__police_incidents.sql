{#- Police incidents involving children in the month, by incident type. -#}
{{ monthly_indicator(ref('fct_police_incidents'), 'incident_month', 'police_incidents',
    breakdowns=['incident_type_code'], coverage=coverage_of('police_incidents')) }}
