{#- Missing-child reports to the police in the month. -#}
{{ monthly_indicator(ref('fct_police_incidents'), 'incident_month', 'missing_child_reports',
    numerator="case when incident_type_code = 'missing_child' then 1 else 0 end",
    coverage=coverage_of('police_incidents')) }}
