{#- Of the domestic abuse incidents in the month with children present, the share that
    involved a child known to children's social care at the time. -#}
{{ monthly_indicator(ref('fct_police_incidents'), 'incident_month', 'domestic_abuse_incidents_with_known_children',
    numerator="case when incident_type_code = 'domestic_abuse' and has_children_present and involves_child_known_to_social_care then 1 else 0 end",
    denominator="case when incident_type_code = 'domestic_abuse' and has_children_present then 1 else 0 end",
    scale=100, coverage=coverage_of('police_incidents')) }}
