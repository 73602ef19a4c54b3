{#- The CIN census's code lists, decoded the same way wherever their codes arrive: in the
    census itself and in the SSD, whose fields take the census's codes (a referral's source
    and primary need, a contact's source, a plan's categories of abuse). A code is read upper
    case and trimmed, a blank as null. -#}

{#- A coded field's code and its label, from the code list the model joins under the alias
    codes (with cin_code_join). -#}
{% macro cin_code_columns(column, codes, name) -%}
    nullif(upper(trim({{ column }})), '') as {{ name }}_code,
    {{ codes }}.label as {{ name }}
{%- endmacro %}

{#- The join of a code list (an import CTE of the model), under alias when the model joins
    the list more than once. -#}
{% macro cin_code_join(code_list, column, alias=none) -%}
    {%- set codes = alias or code_list -%}
    left join {{ code_list }}{{ ' as ' ~ alias if alias }}
        on upper(trim({{ column }})) = {{ codes }}.code
{%- endmacro %}

{#- The group a referral source (or a contact's source) falls in, through the model's
    referral_sources import CTE (cin_referral_sources), or why it has none. -#}
{% macro referral_source_group(column) -%}
    {{ decoded_or_reason("nullif(upper(trim(" ~ column ~ ")), '')",
        'referral_sources.code', 'referral_sources.source_group') }}
{%- endmacro %}

{#- A referral's source (with its group) and primary need, decoded through the model's
    import CTEs referral_sources and primary_needs, joined by referral_joins. -#}
{% macro referral_columns(source_column, primary_need_column) -%}
    {{ cin_code_columns(source_column, 'referral_sources', 'referral_source') }},
    {{ referral_source_group(source_column) }} as referral_source_group,
    {{ cin_code_columns(primary_need_column, 'primary_needs', 'primary_need') }}
{%- endmacro %}

{% macro referral_joins(source_column, primary_need_column) -%}
    {{ cin_code_join('referral_sources', source_column) }}
    {{ cin_code_join('primary_needs', primary_need_column) }}
{%- endmacro %}

{#- A child protection plan's initial and latest categories of abuse, decoded through the
    model's categories import CTE (cin_categories_of_abuse), joined by
    abuse_category_joins. -#}
{% macro abuse_category_columns(initial_column, latest_column) -%}
    {{ cin_code_columns(initial_column, 'initial_categories', 'initial_category_of_abuse') }},
    {{ cin_code_columns(latest_column, 'latest_categories', 'latest_category_of_abuse') }}
{%- endmacro %}

{% macro abuse_category_joins(initial_column, latest_column) -%}
    {{ cin_code_join('categories', initial_column, 'initial_categories') }}
    {{ cin_code_join('categories', latest_column, 'latest_categories') }}
{%- endmacro %}
