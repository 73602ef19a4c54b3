{#- The id of a police incident (area and the force's incident reference): the key that ties
    fct_police_incident_children to fct_police_incidents, so it is computed one way. -#}
{% macro police_incident_id(relation) -%}
    {{ dbt.hash(dbt.concat([relation ~ '.area_code', "'|'", relation ~ '.incident_ref'])) }}
{%- endmacro %}
