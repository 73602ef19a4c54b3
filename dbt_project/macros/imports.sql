{#- The import CTEs a model opens with (dbt-labs style: each relation a model reads gets a
    CTE of its own name), generated from the list of what the model reads instead of written
    out three lines each. relations maps each CTE name to a model or seed name (read with
    ref) or to a relation (a source). The caller writes the comma after the call. -#}
{% macro import_ctes(relations) -%}
{%- for name, relation in relations.items() -%}
{{ name }} as (
    select * from {{ ref(relation) if relation is string else relation }}
){{ ',\n\n' if not loop.last }}
{%- endfor -%}
{%- endmacro %}
