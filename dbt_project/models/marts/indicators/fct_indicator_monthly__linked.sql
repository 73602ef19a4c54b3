{#- The indicators of the registry's group linked
    (macros/indicators/linked.sql), in the long shape. -#}
{{ indicator_group_monthly('linked') }}
