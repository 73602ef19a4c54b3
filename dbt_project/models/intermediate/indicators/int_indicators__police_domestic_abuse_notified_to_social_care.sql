{#- Of the domestic abuse incidents in the month with children present, the share notified
    to children's social care. -#}
{{ monthly_indicator(ref('fct_police_incidents'), 'incident_month', 'domestic_abuse_notified_to_social_care',
    numerator="case when incident_type_code = 'domestic_abuse' and has_children_present and is_notified_to_csc then 1 else 0 end",
    denominator="case when incident_type_code = 'domestic_abuse' and has_children_present then 1 else 0 end",
    scale=100, coverage=coverage_of('police_incidents')) }}
