{#- One row per placement move of a child looked after, with the child's age at the move. -#}
with

{{ import_ctes({
    'moves': 'int_looked_after__placement_moves',
    'children': 'int_looked_after__children',
    'age_bands': 'age_bands',
}) }},

with_age as (
    select
        moves.*,
        {{ age_in_years('children.birth_month', 'moves.moved_on') }} as age_at_move
    from moves
    left join children
        on {{ columns_match('moves', 'children', ['area_code', 'la_child_id_pseudonym']) }}
),

final as (
    select
        with_age.placement_move_id,
        with_age.period_of_care_id,
        with_age.area_code,
        with_age.la_child_id_pseudonym,
        with_age.moved_on,
        with_age.moved_month,
        with_age.move_number_in_period,
        with_age.reason_new_episode_code,
        with_age.reason_place_change_code,
        with_age.previous_placement_type_code,
        with_age.previous_placement_group,
        with_age.placement_type_code,
        with_age.placement_group,
        with_age.days_in_previous_placement,
        with_age.age_at_move,
        coalesce(age_bands.age_band, 'not_recorded') as age_band,
        with_age.record_source
    from with_age
    left join age_bands
        on with_age.age_at_move between age_bands.min_age and age_bands.max_age
        and age_bands.age_band <> 'unborn'
)

select * from final
