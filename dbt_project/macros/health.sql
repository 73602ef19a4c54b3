{#- The columns the three NHS extracts (A&E, admissions, CAMHS) share, named once: the
    area, where the event happened (site or provider), the extract's record id and how many
    copies of it were delivered; the NHS number and date of birth pseudonyms, the month of
    birth, the age the extract states at the event, the NHS person stated gender decoded, and
    the postcode district (pseudonym and, where ingestion kept one, the district in clear). -#}
{% macro health_record_columns(place_column, record_id, age_column, relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}_area as area_code,
    {{ prefix }}{{ place_column }},
    {{ prefix }}{{ record_id }},
    {{ prefix }}copies_delivered,
    {{ prefix }}nhs_number as nhs_number_pseudonym,
    {{ prefix }}person_birth_date as birth_date_pseudonym,
    {{ parse_month(prefix ~ 'person_birth_date_month') }} as birth_month,
    {{ integer_or_null(prefix ~ age_column) }} as {{ age_column }},
    case trim({{ prefix }}sex)
        when '1' then 'M' when '2' then 'F' when '9' then 'U' when 'X' then 'U'
    end as sex,
    {{ prefix }}postcode_district as postcode_district_pseudonym,
    {{ postcode_district_or_null(prefix ~ 'postcode_district_district') }} as postcode_district
{%- endmacro %}

{#- The head of each health mart's row: a warehouse-wide id (area and the extract's record
    id), the record id, where it happened (site or provider), the event date and its month. -#}
{% macro health_event_columns(relation, id_alias, record_id, place_column, event_date) -%}
    {{ dbt.hash(dbt.concat([relation ~ '.area_code', "'|'", relation ~ '.' ~ record_id])) }}
        as {{ id_alias }},
    {{ relation }}.area_code,
    {{ relation }}.{{ record_id }},
    {{ relation }}.{{ place_column }},
    {{ relation }}.{{ event_date }},
    cast({{ dbt.date_trunc('month', relation ~ '.' ~ event_date) }} as date)
        as {{ event_date | replace('_date', '_month') }}
{%- endmacro %}

{#- The child's age at the event, its band (through the mart's age_bands import CTE, joined by
    health_age_band_join) and sex. -#}
{% macro health_age_columns(relation, age_column) -%}
    {{ relation }}.{{ age_column }},
    coalesce(age_bands.age_band, 'not_recorded') as age_band,
    {{ relation }}.sex
{%- endmacro %}

{#- The band an age at the event falls in (the bands' ages are inclusive); an age the extract
    did not state has none. -#}
{% macro health_age_band_join(relation, age_column) -%}
    left join age_bands
        on {{ relation }}.{{ age_column }} between age_bands.min_age and age_bands.max_age
{%- endmacro %}
