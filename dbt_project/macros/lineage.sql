{#- The lineage tail of every staging row: the delivered file and the line it came from, so
    a data-quality finding or a figure can be traced back to the delivery without carrying a
    child's identifier. relation is the alias the raw columns are read through, when the
    model joins code lists. -#}
{% macro lineage_columns(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}_source_file as source_file,
    {{ prefix }}_record_line as source_line
{%- endmacro %}
