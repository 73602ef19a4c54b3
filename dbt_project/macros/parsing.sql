{#- Raw tables hold values as delivered (text). These macros type them in staging. -#}

{% macro parse_date(column) -%}
    {{ return(adapter.dispatch('parse_date')(column)) }}
{%- endmacro %}

{#- Partners export ISO dates or the DfE's dd/mm/yyyy; anything else becomes null and is
    counted by the data-quality layer, not guessed. -#}
{% macro default__parse_date(column) -%}
    coalesce(
        try_strptime(trim({{ column }}), '%Y-%m-%d'),
        try_strptime(trim({{ column }}), '%d/%m/%Y')
    )::date
{%- endmacro %}

{% macro postgres__parse_date(column) -%}
    case
        when trim({{ column }}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
            then to_date(trim({{ column }}), 'YYYY-MM-DD')
        when trim({{ column }}) ~ '^[0-9]{2}/[0-9]{2}/[0-9]{4}$'
            then to_date(trim({{ column }}), 'DD/MM/YYYY')
    end
{%- endmacro %}

{#- A month delivered as yyyy-mm (ingestion keeps a date of birth's month in clear beside
    its pseudonym) as the first day of that month. -#}
{% macro parse_month(column) -%}
    {{ parse_date(column ~ " || '-01'") }}
{%- endmacro %}

{% macro parse_yes_no(column) -%}
    case
        when lower(trim({{ column }})) in ('1', 'true', 'y', 'yes') then true
        when lower(trim({{ column }})) in ('0', 'false', 'n', 'no') then false
    end
{%- endmacro %}

{#- CIN census GenderCurrent (1/2/0/9, to 2025) and Sex (M/F/U, from 2026) to one code. -#}
{% macro decode_sex(gender_current, sex) -%}
    case
        when {{ sex }} in ('M', 'F', 'U') then {{ sex }}
        when {{ gender_current }} = '1' then 'M'
        when {{ gender_current }} = '2' then 'F'
        when {{ gender_current }} in ('0', '9') then 'U'
    end
{%- endmacro %}

{#- ISO day of the week, Monday 1 to Sunday 7. -#}
{% macro day_of_week_iso(column) -%}
    {{ return(adapter.dispatch('day_of_week_iso')(column)) }}
{%- endmacro %}

{% macro default__day_of_week_iso(column) -%}
    isodow({{ column }})
{%- endmacro %}

{% macro postgres__day_of_week_iso(column) -%}
    extract(isodow from {{ column }})
{%- endmacro %}

{#- Working days from one date to a later one (the first day not counted), through the
    int_calendar__days relation joined twice under the given aliases. -#}
{% macro working_days_between(start_alias, end_alias) -%}
    ({{ end_alias }}.working_day_number - {{ start_alias }}.working_day_number)
{%- endmacro %}

{#- Text to integer or timestamp, null when the text is not one: a partner's stray value
    becomes a data-quality finding, not a failed build. (dbt's safe_cast casts strictly on
    DuckDB.) -#}
{% macro integer_or_null(column) -%}
    {{ cast_or_null(column, 'integer', '^[+-]?[0-9]{1,9}$') }}
{%- endmacro %}

{% macro timestamp_or_null(column) -%}
    {{ cast_or_null(column, 'timestamp',
        '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?$') }}
{%- endmacro %}

{#- Text cast to a type, null when the text is not one. An engine without a lenient cast
    casts only the trimmed text that matches pattern, the shape the type's values take. -#}
{% macro cast_or_null(column, type, pattern) -%}
    {{ return(adapter.dispatch('cast_or_null')(column, type, pattern)) }}
{%- endmacro %}

{% macro default__cast_or_null(column, type, pattern) -%}
    try_cast({{ column }} as {{ type }})
{%- endmacro %}

{% macro postgres__cast_or_null(column, type, pattern) -%}
    case when trim({{ column }}) ~ '{{ pattern }}' then cast(trim({{ column }}) as {{ type }}) end
{%- endmacro %}

{#- A month as its short label, e.g. 'Apr 2020'. -#}
{% macro month_label(column) -%}
    {{ return(adapter.dispatch('month_label')(column)) }}
{%- endmacro %}

{% macro default__month_label(column) -%}
    strftime({{ column }}, '%b %Y')
{%- endmacro %}

{% macro postgres__month_label(column) -%}
    to_char({{ column }}, 'Mon YYYY')
{%- endmacro %}

{#- A postcode district as ingestion keeps it (an outward code: OUTWARD_CODE in
    orchestration/ingest/pseudonymise.py, tied by tests/dbt/test_project_conventions.py),
    else null: raw tables loaded before districts were validated may hold whole postcodes,
    which must go no further. -#}
{% macro postcode_district_or_null(column) -%}
    {{ return(adapter.dispatch('postcode_district_or_null')(column)) }}
{%- endmacro %}

{% macro default__postcode_district_or_null(column) -%}
    case when regexp_full_match({{ column }}, '[A-Z]{1,2}[0-9][0-9A-Z]?') then {{ column }} end
{%- endmacro %}

{% macro postgres__postcode_district_or_null(column) -%}
    case when {{ column }} ~ '^[A-Z]{1,2}[0-9][0-9A-Z]?$' then {{ column }} end
{%- endmacro %}

{#- The last day of the given month (1 to 12) in the calendar year of a date. -#}
{% macro last_day_of_month_in_year(date_expression, month_number) -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', month_number,
        dbt.date_trunc('year', date_expression))) }} as date)
{%- endmacro %}
