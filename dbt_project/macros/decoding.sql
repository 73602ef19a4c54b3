{#- The value a code decodes to, for breakdowns: 'not_recorded' when the code is blank,
    'invalid_code' when the code list has no such code (matched is null), else the decoded
    value. A breakdown therefore never hides bad recording inside a real category. -#}
{% macro decoded_or_reason(code, matched, decoded) -%}
    case
        when {{ code }} is null then 'not_recorded'
        when {{ matched }} is null then 'invalid_code'
        else {{ decoded }}
    end
{%- endmacro %}
