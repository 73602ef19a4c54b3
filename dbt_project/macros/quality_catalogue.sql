{#- Which figures a finding of each check can affect: 'field', only the figures that read the
    finding's field (seed indicators, fields_used); 'linkage', only those that read the person
    linkage of the source's records (fields_used 'linkage'); 'source', every figure of the
    source (an extract gap, a duplicated delivery, a recording lag). -#}
{% macro dq_check_scopes() %}
{{ return({
    'field': ['completeness', 'validity', 'date_order'],
    'linkage': ['linkage'],
    'source': ['volume', 'duplicates', 'timeliness'],
}) }}
{% endmacro %}
