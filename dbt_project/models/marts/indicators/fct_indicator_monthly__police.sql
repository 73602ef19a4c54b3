{#- The indicators of the registry's group police
    (macros/indicators/police.sql), in the long shape. -#}
{{ indicator_group_monthly('police') }}
