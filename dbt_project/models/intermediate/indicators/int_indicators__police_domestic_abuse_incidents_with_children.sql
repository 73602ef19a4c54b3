{#- Domestic abuse incidents in the month with children present. -#}
{{ monthly_indicator(ref('fct_police_incidents'), 'incident_month', 'domestic_abuse_incidents_with_children',
    numerator="case when incident_type_code = 'domestic_abuse' and has_children_present then 1 else 0 end",
    coverage=coverage_of('police_incidents')) }}
