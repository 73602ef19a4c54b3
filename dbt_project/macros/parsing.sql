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
