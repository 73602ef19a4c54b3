{#- The condition that two relations agree on each of the given columns: the joins on a
    composite key (area and child, an indicator's grain) that the marts and the quality layer
    write again and again, named once with the key's columns as data. -#}
{% macro columns_match(left, right, columns) -%}
    {%- for column in columns -%}
        {{ left }}.{{ column }} = {{ right }}.{{ column }}
        {%- if not loop.last %}
        and {% endif -%}
    {%- endfor -%}
{%- endmacro %}
