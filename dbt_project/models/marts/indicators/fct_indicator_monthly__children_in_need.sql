{#- The indicators of the registry's group children_in_need
    (macros/indicators/children_in_need.sql), in the long shape. -#}
{{ indicator_group_monthly('children_in_need') }}
