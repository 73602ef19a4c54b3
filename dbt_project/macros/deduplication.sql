{#- Orderings that put the copy of a record to keep first, for the row_number() windows that
    deduplicate staging models. -#}

{#- A return restates what earlier returns held (a child in care across years): the latest
    collection year wins, then the latest load, then the last line. -#}
{% macro latest_return_first() -%}
    {{ integer_or_null('_collection_period') }} desc,
    _loaded_at desc,
    _record_line desc
{%- endmacro %}

{#- An extract re-delivered (a month sent twice): the latest loaded copy wins. -#}
{% macro latest_delivery_first() -%}
    _loaded_at desc, _source_file desc, _record_line desc
{%- endmacro %}
