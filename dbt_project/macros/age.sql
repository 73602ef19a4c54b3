{#- Age in whole years on a date, from the month of birth (ingestion keeps the month, not
    the day): null when the month is unknown or after the date (an unborn child). The marts
    and the referrals measure ages this way, so bands agree across them. -#}
{% macro age_in_years(birth_month, on_date) -%}
    case
        when {{ birth_month }} is null or {{ birth_month }} > {{ on_date }} then null
        else floor({{ dbt.datediff(birth_month, on_date, 'month') }} / 12)
    end
{%- endmacro %}
