{#- Anti-social behaviour incidents involving children in the month. -#}
{{ monthly_indicator(ref('fct_police_incidents'), 'incident_month', 'antisocial_behaviour_incidents',
    numerator="case when incident_type_code = 'antisocial_behaviour' then 1 else 0 end",
    coverage=coverage_of('police_incidents')) }}
