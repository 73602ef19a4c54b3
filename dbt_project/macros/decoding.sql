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

{#- Whether a recorded code is in its code list (matched is the code list's own column,
    null when the left join found nothing); null when no code was recorded, so a blank is
    counted as missing, not as invalid. -#}
{% macro code_is_valid(code, matched) -%}
    case when {{ code }} is not null then {{ matched }} is not null end
{%- endmacro %}

{#- A coded field as staging exposes it: the code as delivered (blank is null), its label
    from the code list, any further columns of the code list (also: expressions with their
    aliases) and whether the code list has the code. codes is the code list's alias, left
    joined by the model on the trimmed code. -#}
{% macro decoded_code_columns(column, codes, name, also=[]) -%}
    nullif(trim({{ column }}), '') as {{ name }}_code,
    {{ codes }}.label as {{ name }},
    {%- for expression in also %}
    {{ expression }},
    {%- endfor %}
    {{ code_is_valid("nullif(trim(" ~ column ~ "), '')", codes ~ '.code') }}
        as is_{{ name }}_code_valid
{%- endmacro %}
