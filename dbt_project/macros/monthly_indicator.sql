{#-
    The long shape of fct_indicator_monthly for one indicator built from an event relation:
    one row per area, covered month and breakdown (dimension 'all' plus each named column),
    with zero for covered months without events, so a quiet month is a real zero.

    relation       the events (one row each), with an area_code column
    month_column   the column giving the event's month (first day)
    indicator_id   the catalogue id
    breakdowns     columns to break down by (their values become breakdown_value)
    numerator      expression summed per month (default: count the events)
    denominator    expression summed per month, or none for a count
    scale          value = numerator * scale / denominator (100 for a percentage)
    coverage       relation of (area_code, month) the source reports on
-#}
{% macro monthly_indicator(relation, month_column, indicator_id, breakdowns=[], numerator='1',
                           denominator=none, scale=1, coverage=none) %}
{%- set dimensions = ['all'] + breakdowns -%}
with

events as (
    select
        area_code,
        {{ month_column }} as month,
        'all' as breakdown_all,
        {%- for column in breakdowns %}
        {{ known_breakdown_value(column) }} as breakdown_{{ column }},
        {%- endfor %}
        cast({{ numerator }} as {{ dbt.type_float() }}) as numerator_value,
        cast({{ denominator if denominator is not none else 'null' }} as {{ dbt.type_float() }})
            as denominator_value
    from {{ relation }}
),

coverage as (
    select area_code, month from {{ coverage }}
),

{% for dimension in dimensions %}
grid_{{ dimension }} as (
    {% if dimension == 'all' -%}
    {#- The whole population has a value in every covered month, events or none. -#}
    select area_code, month, 'all' as breakdown_value from coverage
    {%- else -%}
    select coverage.area_code, coverage.month, observed.breakdown_value
    from coverage
    inner join (
        select distinct area_code, breakdown_{{ dimension }} as breakdown_value from events
    ) as observed
        on coverage.area_code = observed.area_code
    {%- endif %}
),

summed_{{ dimension }} as (
    select
        area_code,
        month,
        breakdown_{{ dimension }} as breakdown_value,
        sum(numerator_value) as numerator,
        sum(denominator_value) as denominator
    from events
    group by area_code, month, breakdown_{{ dimension }}
),

{% endfor %}
unioned as (
    {% for dimension in dimensions %}
    select
        grid.area_code,
        grid.month,
        '{{ dimension }}' as breakdown_dimension,
        grid.breakdown_value,
        coalesce(summed.numerator, 0) as numerator,
        {% if denominator is not none %}coalesce(summed.denominator, 0){% else %}null{% endif %}
            as denominator
    from grid_{{ dimension }} as grid
    left join summed_{{ dimension }} as summed
        on {{ columns_match('grid', 'summed', ['area_code', 'month', 'breakdown_value']) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    '{{ indicator_id }}' as indicator_id,
    area_code,
    month,
    breakdown_dimension,
    breakdown_value,
    numerator,
    cast(denominator as {{ dbt.type_float() }}) as denominator,
    {% if denominator is not none -%}
    case when denominator > 0 then numerator * {{ scale }} / denominator end
    {%- else -%}
    numerator
    {%- endif %} as value
from unioned
{% endmacro %}

{#- The coverage relation of one source, for monthly_indicator(coverage=...): for a return
    another source also holds (source_feeds), the months either feeds, unless fed=false (a
    figure only the return has). -#}
{% macro coverage_of(source_name, fed=true) -%}
    {%- if fed and source_name in source_feeds() -%}
    (select area_code, month from {{ ref('int_coverage__feeds') }} where fed_return = '{{ source_name }}')
    {%- else -%}
    (select area_code, month from {{ ref('int_coverage__months') }} where source = '{{ source_name }}')
    {%- endif -%}
{%- endmacro %}

{#- A rate per 10,000 children from a count indicator (a relation in the long shape): its
    numerator over the children of the area (and of the breakdown, where the population has
    it: age band, sex) in the month. -#}
{% macro rate_per_10000(counts, indicator_id) %}
select
    '{{ indicator_id }}' as indicator_id,
    counts.area_code,
    counts.month,
    counts.breakdown_dimension,
    counts.breakdown_value,
    counts.numerator,
    cast(population.children as {{ dbt.type_float() }}) as denominator,
    counts.numerator * 10000.0 / population.children as value
from {{ counts }} as counts
inner join {{ ref('int_population__children_monthly') }} as population
    on {{ columns_match('counts', 'population', [
        'area_code', 'month', 'breakdown_dimension', 'breakdown_value']) }}
where population.children > 0
{% endmacro %}

{#- A breakdown column's value as it may be published: 'not_recorded' when blank, and for a
    column read from a delivered code field (var breakdown_code_lists) 'invalid_code' when
    the code list has no such value. -#}
{% macro known_breakdown_value(column) -%}
    {%- set value = 'cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')' -%}
    {%- set code_list = var('breakdown_code_lists').get(column) -%}
    {%- if code_list is none -%}
    coalesce({{ value }}, 'not_recorded')
    {%- else -%}
    case
        when {{ value }} is null then 'not_recorded'
        when {{ value }} in ('not_recorded', 'invalid_code') then {{ value }}
        {%- if code_list.seed %}
        when {{ value }} in (select {{ code_list.column }} from {{ ref(code_list.seed) }})
        {%- else %}
        when {{ value }} in ('{{ contract_codes(code_list.contract, code_list.field) | join("', '") }}')
        {%- endif %}
            then {{ value }}
        else 'invalid_code'
    end
    {%- endif -%}
{%- endmacro %}

{#- The coverage of a termly source for indicators dated to the month each term ends: the
    end months of the terms whose start month a delivery covers. -#}
{% macro term_end_coverage_of(source_name) -%}
    (select distinct terms.area_code, terms.term_end_month as month
     from {{ ref('fct_school_attendance') }} as terms
     inner join {{ ref('int_coverage__months') }} as covered
        on covered.source = '{{ source_name }}'
        and covered.area_code = terms.area_code
        and covered.month = terms.term_start_month)
{%- endmacro %}
