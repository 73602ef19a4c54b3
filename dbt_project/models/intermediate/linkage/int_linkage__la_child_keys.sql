{#- The linked child of each child as children's social care records it (area and the LA's
    own child id), for social care facts keyed by that id. -#}
with

linked_records as (
    select * from {{ ref('int_linkage__linked_records') }}
),

final as (
    select distinct
        la_child_key,
        child_key
    from linked_records
    where partner = 'social_care'
        and la_child_key is not null
)

select * from final
