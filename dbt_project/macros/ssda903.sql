{#- Columns every SSDA903 table carries, named once for its twelve staging models: the
    return a row came from and the child it is about. relation is the alias the raw columns
    are read through, when the model joins code lists. -#}

{#- The return: the area delivering it and its collection year, with the number of returns
    that held the record when the model deduplicates across them. -#}
{% macro ssda903_return_columns(relation=none, count_returns=false) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}_area as area_code,
    {{ integer_or_null(prefix ~ '_collection_period') }} as collection_year
    {%- if count_returns %},
    {{ prefix }}returns_count
    {%- endif %}
{%- endmacro %}

{#- The child: the LA's child id and date of birth (both pseudonyms) and the month of birth
    ingestion keeps in clear for ages. -#}
{% macro ssda903_child_columns(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}child as la_child_id_pseudonym,
    {{ prefix }}dob as birth_date_pseudonym,
    {{ parse_month(prefix ~ 'dob_month') }} as birth_month
{%- endmacro %}

{#- The rows of an SSDA903 table, one per record from the latest return that holds it: key
    names the record within an area (the child, and what else identifies the record). -#}
{% macro ssda903_latest(table, key, count_as=none) -%}
    {{ one_row_per(source('ssda903', table), '_area, ' ~ key, latest_return_first(), count_as=count_as) }}
{%- endmacro %}
