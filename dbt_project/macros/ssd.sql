{#- The Standard Safeguarding Dataset (raw.ssd_*): one extract after another, each restating
    the records it holds (an early help episode open at one extract and ended at the next,
    a person in both), so every object is deduplicated by its primary key, the latest
    extract first: the one whose period ends latest (a person's row is dated by the
    extract's last complete month), then the latest load, then the last line. -#}
{% macro latest_extract_first() -%}
    right(_collection_period, 7) desc, {{ latest_delivery_first() }}
{%- endmacro %}

{#- An SSD datetime as ingestion loads it (yyyy-mm-dd, or with hh:mm:ss) as a date; a value
    ingestion could not read (reported as a finding) is null. -#}
{% macro ssd_date(column) -%}
    cast({{ timestamp_or_null(column) }} as date)
{%- endmacro %}

{#- One flag of cont_contact_outcome_json ({"NEW_REFERRAL_FLAG": "Y", ...}; the
    specification writes the keys unquoted, so the text is searched rather than parsed as
    JSON) as a boolean: Y/N, 1/0, true/false; null when the key is absent or blank. -#}
{% macro ssd_outcome_flag(column, key) -%}
    {{ return(adapter.dispatch('ssd_outcome_flag')(column, key)) }}
{%- endmacro %}

{% macro default__ssd_outcome_flag(column, key) -%}
    {%- set pattern = '(?:^|[^A-Z_])' ~ key ~ '"?\\s*:\\s*"?([A-Za-z0-9]*)' -%}
    {{ parse_yes_no("regexp_extract(" ~ column ~ ", '" ~ pattern ~ "', 1)") }}
{%- endmacro %}

{% macro postgres__ssd_outcome_flag(column, key) -%}
    {%- set pattern = '(?:^|[^A-Z_])' ~ key ~ '"?\\s*:\\s*"?([A-Za-z0-9]*)' -%}
    {{ parse_yes_no("substring(" ~ column ~ " from '" ~ pattern ~ "')") }}
{%- endmacro %}
