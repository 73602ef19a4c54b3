{#- A CIN census event (an assessment, an s47 enquiry, a child protection plan) is restated
    by every return in which its child's referral is open: one row per event across returns,
    identified by area, child and start date, taken from the latest return (the one that has
    its end). events is the import CTE of the event's staging model (joined to details, the
    import CTE of int_cin_census__details); columns are read from it in order, unless
    expressions gives a column another expression. -#}
{% macro cin_census_event_across_returns(events, id_column, key_column, columns, expressions={}) -%}
    {%- set copies -%}
    (
        select
            {{ record_id('details.area_code', 'details.la_child_id_pseudonym',
                events ~ '.started_on') }} as {{ id_column }},
            {{ events }}.{{ key_column }},
            details.referral_id,
            details.area_code,
            details.la_child_id_pseudonym,
            {%- for column in columns %}
            {{ expressions.get(column, events ~ '.' ~ column) }} as {{ column }},
            {%- endfor %}
            details.collection_year,
            {{ events }}.source_line
        from {{ events }}
        inner join details
            on {{ events }}.cin_details_key = details.cin_details_key
        where {{ events }}.started_on is not null
    )
    {%- endset -%}
    select
        {{ id_column }},
        {{ key_column }},
        referral_id,
        area_code,
        la_child_id_pseudonym,
        {{ columns | join(',\n        ') }},
        collection_year
    from (
        {{ one_row_per(copies, 'area_code, la_child_id_pseudonym, started_on',
            'collection_year desc, source_line') }}
    ) as latest_copies
{%- endmacro %}

{#- An event's months and its timeliness, the DfE way: the working days from its start
    (started_on) to a milestone (milestone_on: an assessment's authorisation, an enquiry's
    initial conference), through the calendar import CTE (int_calendar__days). -#}
{% macro cin_census_working_days_to(events, milestone, days_alias) -%}
    select
        {{ events }}.*,
        cast({{ dbt.date_trunc('month', events ~ '.started_on') }} as date) as started_month,
        cast({{ dbt.date_trunc('month', events ~ '.' ~ milestone ~ '_on') }} as date)
            as {{ milestone }}_month,
        {{ working_days_between('started', milestone) }} as {{ days_alias }}
    from {{ events }}
    left join calendar as started
        on {{ events }}.started_on = started.calendar_date
    left join calendar as {{ milestone }}
        on {{ events }}.{{ milestone }}_on = {{ milestone }}.calendar_date
{%- endmacro %}

{#- Whether the calling model's referral (CTE referrals) led to a step: a row of the step's
    model (assessments, section 47 enquiries, plans) with its referral_id, and where a
    condition on the step's columns is given, one meeting it. -#}
{% macro referral_led_to(steps, condition=none) -%}
    exists (
        select 1 from {{ ref(steps) }} as steps
        where steps.referral_id = referrals.referral_id
            {%- if condition %} and steps.{{ condition }}{% endif %}
    )
{%- endmacro %}
