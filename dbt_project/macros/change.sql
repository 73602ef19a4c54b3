{#- A value's change from a base, in percent of the base; null where the base is zero or
    missing. The reports compare a value to its expected value and to the baseline mean the
    same way, so the rule for a zero base is written once. -#}
{% macro percent_change(value, base) -%}
    case
        when {{ base }} <> 0
            then 100 * ({{ value }} - {{ base }}) / {{ base }}
    end
{%- endmacro %}
