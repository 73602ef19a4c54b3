{#- A partner's extract re-delivered (a month sent twice repeats its rows): each record of
    raw table (of source source_name) once, keyed by key within the area, its latest loaded
    copy (latest_delivery_first); with count_copies, copies_delivered counts the copies. The
    SSD and SSDA903 returns restate records differently (ssd_latest_rows, ssda903_latest). -#}
{% macro latest_delivered(source_name, table, key, count_copies=false) -%}
    {{ one_row_per(
        source(source_name, table), '_area, ' ~ key, latest_delivery_first(),
        count_as='copies_delivered' if count_copies else none) }}
{%- endmacro %}
