{#- A record's id in a return and in the source that feeds it alike: the area, the child
    and the day the record starts (a referral's date; an assessment's, enquiry's, plan's,
    episode of care's or missing episode's start), so the same record in both is one. -#}
{% macro record_id(area, child, day) -%}
    md5({{ area }} || '|' || {{ child }} || '|' || cast({{ day }} as varchar))
{%- endmacro %}

{#- Whether the month of a date is one int_coverage__feeds has for fed_return: one either
    the return or the other source covers, or with feed, one that feed feeds. -#}
{% macro month_in_feeds(area, day, fed_return, feed=none) -%}
    exists (
        select 1 from {{ ref('int_coverage__feeds') }} as feeds
        where feeds.fed_return = '{{ fed_return }}'
            {%- if feed %}
            and feeds.feed = '{{ feed }}'
            {%- endif %}
            and feeds.area_code = {{ area }}
            and feeds.month = cast({{ dbt.date_trunc('month', day) }} as date)
    )
{%- endmacro %}

{#- One set of a return's records and the other source's records of the same things, by
    the registry's rule (returns_first, data/reference/sources/ssd.yaml): the return's
    records but those dated in a month the other source feeds, and the other source's in
    the months it feeds. A record dated before (or between) the months either covers (an
    episode referred before the first return and still open in it) is the return's when the
    return holds it, else the other source's: the earlier history a re-referral or a plan's
    end is judged by. A record the return left open takes a later milestone from the
    other source's record of the same id: carried maps each such column to the date that
    places it, taken when that date falls in a month the other source feeds. Both relations
    have the columns listed; record_source says which one a row came from. -#}
{% macro fed_records(returned, other, id_column, dated_by, columns, carried={},
    fed_return='cin_census') -%}
    {%- set other_source = source_feeds()[fed_return]['source'] -%}
    select
        {%- for column in columns %}
        {%- if column in carried %}
        coalesce(
            returned.{{ column }},
            case when {{ month_in_feeds('returned.area_code', 'later.' ~ carried[column],
                fed_return, other_source) }} then later.{{ column }} end
        ) as {{ column }},
        {%- else %}
        returned.{{ column }},
        {%- endif %}
        {%- endfor %}
        '{{ fed_return }}' as record_source
    from {{ returned }} as returned
    {%- if carried %}
    left join {{ other }} as later
        on returned.{{ id_column }} = later.{{ id_column }}
    {%- endif %}
    where not {{ month_in_feeds(
        'returned.area_code', 'returned.' ~ dated_by, fed_return, other_source) }}
    union all
    select
        {%- for column in columns %}
        other.{{ column }},
        {%- endfor %}
        '{{ other_source }}' as record_source
    from {{ other }} as other
    where {{ month_in_feeds('other.area_code', 'other.' ~ dated_by, fed_return, other_source) }}
        or (
            not {{ month_in_feeds('other.area_code', 'other.' ~ dated_by, fed_return) }}
            and not exists (
                select 1 from {{ returned }} as held
                where held.{{ id_column }} = other.{{ id_column }}
            )
        )
{%- endmacro %}

{#- A missing episode's id in the SSDA903 return and in the SSD alike: the area, the child,
    the day the child went missing and the episode's number among the child's that day. -#}
{% macro missing_episode_id(area, child, day, sequence) -%}
    {{ dbt.hash(dbt.concat([
        area, "'|'", child, "'|'",
        'cast(' ~ day ~ ' as ' ~ dbt.type_string() ~ ')', "'|'",
        'cast(' ~ sequence ~ ' as ' ~ dbt.type_string() ~ ')'
    ])) }}
{%- endmacro %}
