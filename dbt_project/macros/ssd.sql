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

{#- Each object of one SSD table (raw.<table>) once, keyed by its primary key within the
    area: its row in the latest extract, with copies_delivered (the rows of it the extracts
    held). -#}
{% macro ssd_latest_rows(table, key) -%}
    {{ one_row_per(
        source('ssd', table), '_area, ' ~ key, latest_extract_first(),
        count_as='copies_delivered') }}
{%- endmacro %}

{#- The columns an SSD staging model opens with, read from its latest CTE: for an object
    with an id of its own (id_column), a warehouse-wide <name>_key (area and id) and the id as
    <name>_id; then the area, the child (the LA's person id pseudonym, person_column) and the
    copies delivered. -#}
{% macro ssd_object_columns(person_column, id_column=none, name=none) -%}
    {%- if id_column -%}
    {{ dbt.hash(dbt.concat(["latest._area", "'|'", "latest." ~ id_column])) }} as {{ name }}_key,
    {% endif -%}
    latest._area as area_code,
    {% if id_column -%}
    latest.{{ id_column }} as {{ name }}_id,
    {% endif -%}
    latest.{{ person_column }} as la_child_id_pseudonym,
    latest.copies_delivered
{%- endmacro %}

{#- An SSD object of a children in need episode (an assessment, an enquiry, a plan) as the
    CIN census's records of it (cin_census_event_across_returns): one row per area, child
    and start, identified as the census identifies it (record_id over started_on, as
    id_column), its key as key_as, with the referral of its episode (the episode its
    cin_episode_id names, through the import CTE episodes: stg_ssd__cin_episodes) and no
    return. -#}
{% macro ssd_cin_event(events, id_column, key_column, key_as, columns) -%}
    select
        {{ record_id('events.area_code', 'events.la_child_id_pseudonym',
            'events.started_on') }} as {{ id_column }},
        events.{{ key_column }} as {{ key_as }},
        case when episodes.referral_date is not null then {{ record_id(
            'episodes.area_code', 'episodes.la_child_id_pseudonym', 'episodes.referral_date')
        }} end as referral_id,
        events.area_code,
        events.la_child_id_pseudonym,
        events.started_on,
        {%- for column in columns %}
        events.{{ column }},
        {%- endfor %}
        cast(null as integer) as collection_year
    from (
        {{ one_row_per(
            '(select * from ' ~ events ~ ' where started_on is not null)',
            'area_code, la_child_id_pseudonym, started_on', key_column) }}
    ) as events
    left join episodes
        on {{ columns_match('events', 'episodes', ['area_code', 'cin_episode_id']) }}
{%- endmacro %}

{#- A staging model of one SSD object: each object once, its row in the latest extract
    (ssd_latest_rows), with its opening columns (ssd_object_columns; the person, with no name
    argument, has no key or id but its person id), then its own columns and its lineage; a
    row without its key is dropped. An object whose codes are decoded through code lists
    imports them (code_lists: CTE name -> seed, as import_ctes), joins them (joins) and
    writes its columns in a call block; any other lists each column in its yml beside its
    docs (meta ssd_columns: name -> [kind, field] or, for an outcome flag, [outcome_flag,
    field, key]) read from its field by kind (ssd_read). The yml's meta is only there once
    the project is parsed, so the table and code lists (which the graph needs at parse) are
    arguments. -#}
{% macro ssd_staged(table, key, person_column, name=none, code_lists={}, joins='') %}
{%- set columns = (config.get('meta') or {}).get('ssd_columns', {}) -%}
{%- if execute and caller is not defined and not columns -%}
    {{ exceptions.raise_compiler_error(model.name ~ ': no meta ssd_columns in its yml') }}
{%- endif -%}
with

latest as (
    {{ ssd_latest_rows(table, key) }}
),
{%- if code_lists %}

{{ import_ctes(code_lists) }},
{%- endif %}

renamed as (
    select
        {{ ssd_object_columns(person_column, key if name else none, name) }},
        {%- if caller is defined %}
        {{ caller() }}
        {%- else %}
        {%- for column, read in columns.items() %}
        {{ ssd_read(read) }} as {{ column }},
        {%- endfor %}
        {%- endif %}
        {{ lineage_columns('latest') }}
    from latest
    {{ joins }}
    where latest.{{ key }} is not null
)

select * from renamed
{% endmacro %}

{#- A delivered field of the latest CTE by kind: text (trimmed, blank as null), code (upper
    case too), date (ssd_date), yes_no (parse_yes_no), outcome_flag (ssd_outcome_flag) or
    as_loaded (a pseudonym, as ingestion wrote it). -#}
{% macro ssd_read(read) -%}
    {%- set kind, field = read[0], 'latest.' ~ read[1] -%}
    {%- if kind == 'text' -%} nullif(trim({{ field }}), '')
    {%- elif kind == 'code' -%} nullif(upper(trim({{ field }})), '')
    {%- elif kind == 'date' -%} {{ ssd_date(field) }}
    {%- elif kind == 'yes_no' -%} {{ parse_yes_no(field) }}
    {%- elif kind == 'outcome_flag' -%} {{ ssd_outcome_flag(field, read[2]) }}
    {%- elif kind == 'as_loaded' -%} {{ field }}
    {%- else -%} {{ exceptions.raise_compiler_error('ssd_read: no field kind ' ~ kind) }}
    {%- endif -%}
{%- endmacro %}
