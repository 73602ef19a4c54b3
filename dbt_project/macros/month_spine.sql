{#- Every month from start_date up to (not including) end_date, as a date column month: the
    calendar the coverage and the monthly models lay deliveries over (dbt's date_spine gives
    timestamps named date_month). -#}
{% macro month_spine(start_date, end_date) -%}
    select cast(date_month as date) as month
    from (
        {{ dbt.date_spine(
            'month', "cast('" ~ start_date ~ "' as date)", "cast('" ~ end_date ~ "' as date)") }}
    ) as spine
{%- endmacro %}
