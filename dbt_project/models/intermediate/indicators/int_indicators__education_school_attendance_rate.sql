{#- Attendance rate from the daily counts: pupils attending over pupils on roll, summed over
    the school days of the month (percent), by school phase. Daily counts give a value for
    every school month; the termly census gives one per term, so it is not used here. -#}
{{ monthly_indicator(ref('fct_school_attendance_daily'), 'attendance_month', 'school_attendance_rate',
    breakdowns=['school_phase'], numerator='pupils_attending', denominator='pupils_on_roll', scale=100,
    coverage=coverage_of('school_attendance_daily')) }}
