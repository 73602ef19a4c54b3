{#- Completeness, validity and date order of every watched field (macro dq_catalogue), per
    area and month of the row's event: rows checked, rows failing, one example row
    reference (file:line). -#}
with

code_lists as (
    select * from {{ ref('dq_code_lists') }}
),

{{ dq_table_rows_ctes(dq_catalogue()) }}

checks as (
    {% for table in dq_catalogue() %}
    {% for field in table.fields %}
    {{ dq_field_checks(table, field) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from checks
