{#- The indicators of the registry's group looked_after
    (macros/indicators/looked_after.sql), in the long shape. -#}
{{ indicator_group_monthly('looked_after') }}
