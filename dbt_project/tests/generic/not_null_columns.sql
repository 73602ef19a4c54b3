{#- Columns of a model that must never be null, checked in one scan of the model rather than
one per column: a row per column that has nulls, with how many (the failure count is the
number of null values). -#}
{% test not_null_columns(model, columns) %}
{#- meta.description is what Dagster shows as the asset check's description. -#}
{{ config(
    fail_calc="coalesce(sum(null_values), 0)",
    meta={"description": "Never null: " ~ columns | join(", ") ~ "."},
) }}
with null_values as (
    select
    {%- for column in columns %}
        sum(case when {{ column }} is null then 1 else 0 end) as {{ column }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
)
{%- for column in columns %}
select '{{ column }}' as column_name, {{ column }} as null_values
from null_values
where {{ column }} > 0
{{ "union all" if not loop.last }}
{%- endfor %}
{% endtest %}
