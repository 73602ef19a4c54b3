{#- The indicator registry: every indicator is one entry, in the file of its group
    (macros/indicators/<group>.sql, a YAML list inside the macro indicators__<group>). Adding
    an indicator is adding its entry there; from the registry derive the model of its group
    (marts.fct_indicator_monthly__<group>), the union fct_indicator_monthly, their docs and the
    seed indicators.csv (generated: `python -m orchestration.transform.indicator_catalogue`,
    which tests/dbt/test_add_indicator.py keeps current).

    A group is a family, with social care split by its return (children_in_need: the CIN
    census; looked_after: SSDA903; ssd: the Standard Safeguarding Dataset), so a test or a
    partial build can build one return's indicators. The groups in catalogue order (the
    order of the seed's rows): -#}
{% macro indicator_groups() %}
{%- set groups -%}
[children_in_need, health, police, education, looked_after, ssd, linked]
{%- endset -%}
{{ return(fromyaml(groups)) }}
{% endmacro %}

{#- An entry's catalogue row (columns of the seed indicators):
        indicator_id, label, family, source, numerator, denominator (text; none for a count),
        unit (count, percent, days, per_10000), direction_of_concern,
        breakdowns (list; 'all' is implied), months_covered (default 1),
        history_months (default 0), fields_used (list of dimension:field)
    and how it is computed (compute), one of:
        events, month   the monthly_indicator macro over ref(events), dated by the column month,
                        with optional where (a filter on the events), numerator and denominator
                        (SQL summed per month; numerator defaults to counting the events, and a
                        percent's denominator to the events too: 100 x numerator / denominator),
                        coverage: term_ends for a termly figure dated to the month its term ends
                        (else the months a delivery of the source covers)
        rate_per_10000_of   a count indicator of the same group, over the children of the area
        macro           a macro of the project called with the entry, returning the long shape -#}
{% macro indicator_registry(group=none) %}
    {%- set entries = [] -%}
    {%- for name in indicator_groups() if group is none or name == group -%}
        {%- do entries.extend(context['indicators__' ~ name]()) -%}
    {%- endfor -%}
    {{ return(entries) }}
{% endmacro %}

{#- The entries of one group's YAML text; a registry that is not a YAML list fails the parse
    (fromyaml gives none for text that is not YAML). -#}
{% macro indicator_entries(text, group) %}
    {%- set entries = fromyaml(text) -%}
    {%- if entries is none or entries is string or entries is mapping -%}
        {{ exceptions.raise_compiler_error(
            'macros/indicators/' ~ group ~ '.sql: the registry is not a YAML list of indicators') }}
    {%- endif -%}
    {{ return(entries) }}
{% endmacro %}

{#- The long shape of one indicator (see monthly_indicator), from its registry entry. -#}
{% macro indicator_monthly(indicator) %}
    {%- set compute = indicator['compute'] -%}
    {%- set percent = indicator['unit'] == 'percent' -%}
    {%- if compute.get('macro') -%}
        {{ context[compute['macro']](indicator) }}
    {%- elif compute.get('rate_per_10000_of') -%}
        {{ rate_per_10000(indicator_cte(compute['rate_per_10000_of']), indicator['indicator_id']) }}
    {%- else -%}
        {%- set events = ref(compute['events']) -%}
        {%- if compute.get('where') -%}
            {%- set events = '(select * from ' ~ events ~ ' where ' ~ compute['where'] ~ ')'
                ~ ' as events' -%}
        {%- endif -%}
        {%- set coverage = term_end_coverage_of(indicator['source'])
            if compute.get('coverage') == 'term_ends' else coverage_of(indicator['source']) -%}
        {{ monthly_indicator(
            events, compute['month'], indicator['indicator_id'],
            breakdowns=indicator.get('breakdowns', []),
            numerator=compute.get('numerator', '1'),
            denominator=compute.get('denominator', '1' if percent else none),
            scale=100 if percent else 1,
            coverage=coverage) }}
    {%- endif -%}
{% endmacro %}

{#- The name of an indicator's CTE in its group's model (prefixed, so that no indicator id
    can shadow a CTE of the macros). -#}
{% macro indicator_cte(indicator_id) -%}
    indicator__{{ indicator_id }}
{%- endmacro %}

{#- Every indicator of a group in the long shape, one CTE each (a rate reads the CTE of its
    count, listed before it). -#}
{% macro indicator_group_monthly(group) %}
{%- set indicators = indicator_registry(group) -%}
with

{% for indicator in indicators %}
{{ indicator_cte(indicator['indicator_id']) }} as (
    {{ indicator_monthly(indicator) }}
),

{% endfor %}
final as (
    {% for indicator in indicators %}
    select * from {{ indicator_cte(indicator['indicator_id']) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
{% endmacro %}
