{#- The indicators of the registry's group ssd
    (macros/indicators/ssd.sql), in the long shape. -#}
{{ indicator_group_monthly('ssd') }}
