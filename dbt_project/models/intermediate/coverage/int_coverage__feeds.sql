{#- Which records feed each month's indicators of a return another source also holds (the
    source registry's feeds, macro source_feeds: the SSD holds the CIN census's referrals,
    assessments, enquiries and plans), per area and month either covers. The rule,
    returns_first: the return where one of its deliveries covers the month
    (int_coverage__months), else the other source, where an extract of its covered_by table
    does (within the other source's own coverage, so its retention cut-off holds too). -#}
with

{{ import_ctes({
    'deliveries': 'stg_ingest__deliveries',
    'coverage': 'int_coverage__months',
}) }},

months as (
    {{ month_spine('2010-01-01', '2031-01-01') }}
),

{% for fed_return, feed in source_feeds().items() %}
{{ fed_return }}__other_months as (
    select distinct deliveries.area_code, months.month
    from deliveries
    inner join months
        on months.month between deliveries.first_month and deliveries.last_month
    inner join coverage
        on {{ columns_match('coverage', 'deliveries', ['source', 'area_code']) }}
        and coverage.month = months.month
    where deliveries.source = '{{ feed['source'] }}'
        and deliveries.part = '{{ feed['covered_by'] }}'
),

{{ fed_return }}__feeds as (
    select
        '{{ fed_return }}' as fed_return,
        coalesce(returned.area_code, other.area_code) as area_code,
        coalesce(returned.month, other.month) as month,
        returned.month is not null as is_covered_by_return,
        other.month is not null as is_covered_by_other_source,
        case
            when returned.month is not null then '{{ fed_return }}'
            else '{{ feed['source'] }}'
        end as feed
    from (select area_code, month from coverage where source = '{{ fed_return }}') as returned
    full outer join {{ fed_return }}__other_months as other
        on {{ columns_match('returned', 'other', ['area_code', 'month']) }}
),

{% endfor %}
final as (
    {% for fed_return in source_feeds() %}
    select * from {{ fed_return }}__feeds
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
