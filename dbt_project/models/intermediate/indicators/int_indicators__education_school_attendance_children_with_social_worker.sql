{#- Attendance rate of children with a social worker from the daily counts: attending over on
    roll, summed over the school days of the month (percent), by school phase. -#}
{{ monthly_indicator(ref('fct_school_attendance_daily'), 'attendance_month',
    'school_attendance_children_with_social_worker', breakdowns=['school_phase'],
    numerator='coalesce(children_with_social_worker_attending, 0)',
    denominator='coalesce(children_with_social_worker_on_roll, 0)', scale=100,
    coverage=coverage_of('school_attendance_daily')) }}
