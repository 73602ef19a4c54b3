{#- Deduplication across returns and re-deliveries: the same record reaches the warehouse
    more than once (a child in care across years is in every return; a month re-sent is
    loaded twice), and every model that reads such a source keeps one copy. The rule is
    written once here so that staging and intermediate models keep copies the same way. -#}

{#- The rows of a relation, one per partition: the first by the given ordering. The window
    stays in a subquery, not a qualify clause, so the SQL reads on any engine. count_as names
    a column counting the copies of each kept row (before deduplication); also adds further
    window expressions over the same copies (each written with its own alias). The kept rows
    carry a copy_rank column (always 1), which models do not select. -#}
{% macro one_row_per(relation, partition_by, order_by, count_as=none, also=[]) -%}
    select * from (
        select
            copies.*,
            row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as copy_rank
            {%- if count_as %},
            count(*) over (partition by {{ partition_by }}) as {{ count_as }}
            {%- endif %}
            {%- for expression in also %},
            {{ expression }}
            {%- endfor %}
        from {{ relation }} as copies
    ) as ranked
    where copy_rank = 1
{%- endmacro %}

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
