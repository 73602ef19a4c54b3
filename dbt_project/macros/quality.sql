{#- The data-quality layer's building blocks: per field and month, how many rows fail a
    check. Rows are read as delivered (text), so a blank, a placeholder code, a code outside
    the DfE or contract code list and an end date before its start are all still visible. -#}

{#- Rows of one delivered table with the columns every check needs: area_code, month (of
    the row's event), row_ref (file and line: never an identifier). -#}
{% macro dq_table_rows(table) -%}
    select
        _area as area_code,
        cast({{ table.month }} as date) as event_date,
        cast({{ dbt.date_trunc('month', table.month) }} as date) as month,
        _source_file || ':' || cast(_record_line as varchar) as row_ref,
        *
    from {{ source(*table.from_source) if table.get('from_source') else ref(table.from_ref) }}
{%- endmacro %}

{#- The table_rows_<table> CTE of each given catalogue table, for the quality models that
    measure every watched table; each CTE is followed by a comma. -#}
{% macro dq_table_rows_ctes(tables) -%}
    {%- for table in tables %}
table_rows_{{ table.table_name }} as (
    {{ dq_table_rows(table) }}
),
    {% endfor -%}
{%- endmacro %}

{#- The indicator catalogue's rows (indicator_id and the given columns) with the source
    each indicator reads (dq_indicator_sources), through which the quality models tie
    findings and watched fields to indicators. -#}
{% macro dq_indicators_with_sources(columns) -%}
    select catalogue.indicator_id,
        {%- for column in columns %} catalogue.{{ column }},{% endfor %} sources.source
    from {{ ref('indicators') }} as catalogue
    inner join {{ ref('dq_indicator_sources') }} as sources
        on catalogue.indicator_id = sources.indicator_id
{%- endmacro %}

{#- A row fails completeness when the field is blank or holds the code the format uses for
    "not known" (for example ReferralSource 10, Ethnicity NOBT). -#}
{% macro dq_is_missing(field) -%}
    (
        {{ field.column }} is null or trim({{ field.column }}) = ''
        {%- if field.get('missing_codes') %}
        or trim({{ field.column }}) in ('{{ field.missing_codes | join("', '") }}')
        {%- endif %}
    )
{%- endmacro %}

{#- One row per area, month and check of one field: rows checked and rows failing. -#}
{% macro dq_field_checks(table, field) -%}
    {#- An optional field (an end date of something still open) has no completeness. -#}
    {%- set checks = [] if field.get('optional') else ['completeness'] -%}
    {%- if field.get('code_list') %}{% do checks.append('validity') %}{% endif -%}
    {%- if field.get('start_column') %}{% do checks.append('date_order') %}{% endif -%}
    {%- for check in checks %}
    select
        rows.area_code,
        '{{ table.source }}' as source,
        '{{ table.table_name }}' as table_name,
        '{{ field.field }}' as field,
        '{{ check }}' as check_name,
        '{{ field.get('rules', {}).get(check, '') }}' as rule_code,
        rows.month,
        count(*) as rows_checked,
        sum(case when failing then 1 else 0 end) as rows_failing,
        min(case when failing then rows.row_ref end) as example_row
    from (
        select
            table_rows.area_code,
            table_rows.month,
            table_rows.row_ref,
            {%- if check == 'completeness' %}
            {{ dq_is_missing(field) }} as failing
            {%- elif check == 'validity' %}
            (not {{ dq_is_missing(field) }} and code_list.code is null) as failing
            {%- else %}
            coalesce(
                {{ parse_date(field.column) }} < {{ parse_date(field.start_column) }}, false
            ) as failing
            {%- endif %}
        from table_rows_{{ table.table_name }} as table_rows
        {%- if check == 'validity' %}
        left join code_lists as code_list
            on code_list.code_list = '{{ field.code_list }}'
            and code_list.code = trim(table_rows.{{ field.column }})
            {%- if table.get('from_source') %}
            {#- A list valid by year (SSDA903) is read for the return's own year. #}
            and (
                code_list.first_year is null
                or try_cast(left(table_rows._collection_period, 4) as integer)
                    between code_list.first_year and code_list.last_year
            )
            {%- endif %}
        {%- endif %}
    ) as rows
    where rows.month is not null
    group by rows.area_code, rows.month
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- A delivered date and time (contracts: yyyy-mm-dd hh:mm[:ss], or dd/mm/yyyy hh:mm). -#}
{% macro dq_parse_timestamp(column) -%}
    {{ return(adapter.dispatch('dq_parse_timestamp')(column)) }}
{%- endmacro %}

{% macro default__dq_parse_timestamp(column) -%}
    coalesce(
        try_strptime(trim({{ column }}), '%Y-%m-%d %H:%M:%S'),
        try_strptime(trim({{ column }}), '%Y-%m-%dT%H:%M:%S'),
        try_strptime(trim({{ column }}), '%Y-%m-%d %H:%M'),
        try_strptime(trim({{ column }}), '%d/%m/%Y %H:%M')
    )
{%- endmacro %}

{#- A share as readable text: 0.1412 -> '14.1%'. -#}
{% macro dq_percent(share) -%}
    cast(round(100 * ({{ share }}), 1) as varchar) || '%'
{%- endmacro %}

{#- One row per item of a |-separated list column (seed indicators: breakdowns,
    fields_used): the key, the item's position and the item. A spine of positions and
    split_part (DuckDB, PostgreSQL, Snowflake), not an engine's unnest. -#}
{% macro dq_list_items(relation, key, column, max_items=20) -%}
    select
        listed.{{ key }},
        positions.item_number,
        split_part(listed.{{ column }}, '|', positions.item_number) as item
    from {{ relation }} as listed
    cross join (
        {%- for position in range(1, max_items + 1) %}
        select {{ position }} as item_number{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as positions
    where coalesce(listed.{{ column }}, '') <> ''
        and positions.item_number <= {{ dbt.length('listed.' ~ column) }}
            - {{ dbt.length(dbt.replace('listed.' ~ column, "'|'", "''")) }} + 1
{%- endmacro %}

{#- A mean measure's baseline per key (dq_findings): the mean of the baseline months, named
    baseline, and their sample standard deviation, named baseline_stddev (0 when there is
    one month). The mean is ordered so that its float sum does not depend on row order. -#}
{% macro dq_baseline_spread(months, keys, measure, baseline) -%}
    select
        {{ keys | join(', ') }},
        avg({{ measure }} order by {{ measure }}) as {{ baseline }},
        coalesce(stddev_samp({{ measure }}), 0) as {{ baseline }}_stddev
    from {{ months }}
    where is_baseline_month
    group by {{ keys | join(', ') }}
{%- endmacro %}

{#- A month out of line with its dq_baseline_spread baseline: above it (below it, for a rate
    that falls) by more than thresholds.z_score standard deviations and by more than the
    given floor (the joined dq_thresholds row's minimum). -#}
{% macro dq_beyond_baseline(observed, baseline, floor, below=false) -%}
    {{ observed }} {{ '<' if below else '>' }} {{ baseline }} {{ '-' if below else '+' }} greatest(
        thresholds.z_score * {{ baseline }}_stddev, {{ floor }}
    )
{%- endmacro %}

{#- The first columns of a finding on a table's month as a whole (dq_findings: volume,
    duplicates): no field and no DfE rule. -#}
{% macro dq_table_finding_keys(relation, check_name) -%}
    {{ relation }}.area_code,
    {{ relation }}.source,
    {{ relation }}.table_name,
    '' as field,
    {{ relation }}.month,
    '{{ check_name }}' as check_name,
    '' as rule_code
{%- endmacro %}
