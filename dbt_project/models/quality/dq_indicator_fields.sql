{#- The delivered fields each figure of each indicator reads (seed indicators, fields_used),
    tied to the data-quality catalogue (macro dq_catalogue): one row per indicator, breakdown
    dimension ('all': the total, and so every breakdown of it) and field. field_label is null
    for a field the catalogue does not watch in the indicator's source and
    is_indicator_breakdown false for a dimension the indicator has not: the model's tests
    fail on either. 'linkage' is the person linkage of the source's records. -#}
with

indicators as (
    {{ dq_indicators_with_sources(['breakdowns']) }}
),

entries as (
    {{ dq_list_items(ref('indicators'), 'indicator_id', 'fields_used') }}
),

catalogue_fields as (
    {%- for table in dq_catalogue() %}
    {%- for field in table.fields %}
    select
        '{{ table.source }}' as source,
        '{{ table.table_name }}' as table_name,
        '{{ field.field }}' as field,
        '{{ field.label }}' as field_label
    union all
    {%- endfor %}
    {%- endfor %}
    select distinct source, cast(null as varchar), 'linkage', 'linkage of the records to a child'
    from (
        {%- for table in dq_catalogue() %}
        select '{{ table.source }}' as source{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as catalogued_sources
),

parsed as (
    select
        entries.indicator_id,
        trim(split_part(entries.item, ':', 1)) as breakdown_dimension,
        trim(split_part(entries.item, ':', 2)) as field
    from entries
)

select
    parsed.indicator_id,
    parsed.breakdown_dimension,
    parsed.field,
    indicators.source,
    catalogue_fields.table_name,
    catalogue_fields.field_label,
    {{ dbt.position("'|' || parsed.breakdown_dimension || '|'", "'|' || indicators.breakdowns || '|'") }} > 0
        as is_indicator_breakdown
from parsed
inner join indicators
    on parsed.indicator_id = indicators.indicator_id
left join catalogue_fields
    on indicators.source = catalogue_fields.source
    and parsed.field = catalogue_fields.field
