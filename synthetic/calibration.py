"""Rates and timings the synthetic journeys are calibrated to.

Figures are for England, years ending 31 March, from DfE "Characteristics of children in
need" (tables C1, C4, D3, D5; copies in /work/shared/reference/published_statistics/) unless
a comment says otherwise. Categorical mixes live in ``synthetic/data/code_weights.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PopulationRates:
    # Share of children with a recorded disability (DfE SEN and CIN figures put it near 7%).
    disabled: float = 0.07
    # Heterogeneity of social-care risk between families: gamma shape (mean 1). A small
    # shape concentrates referrals in few children, as in real returns, where about one in
    # four children is ever referred by 18 while the yearly rate is about 5%.
    frailty_shape: float = 0.35
    # Births after the start date keep the number of under-18s steady.
    days_before_birth_referrable: int = 90


@dataclass(frozen=True)
class ReferralRates:
    # Referrals per 10,000 children a year: 545 in 2019 (C1: 544.5), 535 in 2020.
    per_10k: float = 545.0
    # Share of referrals within 12 months of an earlier one: about 22% (C1, 2017 to 2023).
    re_referral_share: float = 0.22
    # Chance that a closed episode is followed by another referral of the same child soon
    # after (a self-exciting process); the rest of the repeats come from risky families.
    follow_up_probability: float = 0.23
    follow_up_mean_gap_days: float = 100.0
    # Correction for referrals lost because they fell inside a child's open episode (real
    # systems record them as contacts on the open case). Measured at 250,000 children.
    primary_boost: float = 1.15
    # Referrals stop half a year before the 18th birthday so journeys can finish.
    last_referral_age_years: float = 17.5


@dataclass(frozen=True)
class JourneyRates:
    # No further action: 8.1% in 2019, 6.3% in 2020 (C1).
    nfa: float = 0.075
    assessment_if_not_nfa: float = 0.97
    # Assessed as not in need: about 30% of referrals (C1 Not_in_Need_percent).
    not_in_need_if_assessed: float = 0.36
    # Section 47 enquiries: 201,000 of 643,000 referrals in 2020 (31%), mostly for abuse or
    # neglect. The two rates give about 33.7% of referrals that were not NFA.
    s47_if_abuse_need: float = 0.50
    s47_if_other_need: float = 0.12
    # ICPCs: 77,470 of 201,000 s47s (38.5%); CP plans: 66,380 of 77,470 ICPCs (86%).
    icpc_if_s47: float = 0.385
    cpp_if_icpc: float = 0.86
    # ICPC timing after the s47 start, working days: C4 2020 durations 0-10 12.4%,
    # 11-15 65.2%, 16-20 9.2%, 21+ 13.1%.
    icpc_working_day_bins: tuple[tuple[int, int, float], ...] = (
        (2, 10, 0.124),
        (11, 15, 0.652),
        (16, 20, 0.092),
        (21, 40, 0.132),
    )
    s47_without_icpc_working_days: tuple[int, int] = (5, 20)
    s47_gap_days_max: int = 5
    # Assessment authorisation: gamma in working days, about 85% within 45 working days.
    assessment_gap_days_mean: float = 2.0
    assessment_gap_days_max: int = 10
    assessment_working_days_shape: float = 3.0
    assessment_working_days_scale: float = 9.5
    # CP plan length in months (plans ended by duration, DfE D tables): most end within a
    # year, a few run past two years.
    cpp_month_bins: tuple[tuple[float, float, float], ...] = (
        (0.5, 3.0, 0.18),
        (3.0, 6.0, 0.25),
        (6.0, 12.0, 0.37),
        (12.0, 24.0, 0.17),
        (24.0, 36.0, 0.03),
    )
    # Children in need without a plan: a CIN plan of a few months for most, years for a
    # minority (disabled children, long-term support), so that about 390 per 10,000 are in
    # need at 31 March alongside the looked-after children a later source adds.
    cin_plan_median_days: float = 180.0
    cin_plan_sigma: float = 0.7
    long_term_share: float = 0.10
    long_term_days: tuple[int, int] = (540, 1460)
    step_down_after_cpp: float = 0.6
    step_down_days: tuple[int, int] = (30, 180)
    latest_category_changes: float = 0.1
    # Second or later plans: 22% in 2020 (D3). Part comes from plans inside the simulation;
    # this adds plans from before it.
    earlier_plan_before_simulation: float = 0.15
    # Factors at assessment: C3 2020 lists about 2.8 per assessed child in need; most
    # children assessed as not in need get code 21 (no factors identified).
    extra_factors_mean: float = 1.8
    no_factors_if_not_in_need: float = 0.7
    # Disabled children referred for their own needs.
    disability_need_if_disabled: float = 0.5
    # CIN records without a UPN (they carry a UPNunknown reason instead).
    upn_missing: float = 0.03
    # --calibrate-to: multipliers per collection year (of the referral) on the s47, ICPC
    # and CP plan conversion rates, as {year: (s47, icpc, cpp)}; empty = national rates.
    year_factors: tuple[tuple[int, float, float, float], ...] = ()

    def factors_for(self, years: np.ndarray, which: int) -> np.ndarray | float:
        if not self.year_factors:
            return 1.0
        from synthetic.referrals import per_year

        return per_year({row[0]: row[which] for row in self.year_factors}, years)


@dataclass(frozen=True)
class Calibration:
    population: PopulationRates = PopulationRates()
    referrals: ReferralRates = ReferralRates()
    journeys: JourneyRates = JourneyRates()


DEFAULT_CALIBRATION = Calibration()


@dataclass(frozen=True)
class LookedAfterRates:
    # Children starting to be looked after per 10,000 a year: 27 in 2019 and 2020, 24-25
    # in 2021 (DfE "Children looked after", rate per 10,000 table).
    starts_per_10k: float = 27.0
    # Relative chance that an episode leads to care, by how far it went. CLA starts follow
    # CP plans most often; some follow an s47 (emergency) or a CIN plan.
    weight_cpp: float = 1.0
    weight_s47_only: float = 0.25
    weight_cin_plan: float = 0.06
    # Age on starting, England 2019 (cla_national_started): under 1 19%, 1-4 17%, 5-9 17%,
    # 10-15 27%, 16+ 20%.
    start_age_bands: tuple[tuple[float, float, float], ...] = (
        (0.0, 1.0, 0.19),
        (1.0, 5.0, 0.17),
        (5.0, 10.0, 0.17),
        (10.0, 16.0, 0.27),
        (16.0, 18.0, 0.20),
    )
    # Unaccompanied asylum-seeking children: 12% of starts in England, far fewer in most
    # inland counties; drawn from children aged 15-17 of the population.
    uasc_share: float = 0.06
    # Children already in care at the simulation start (looked after for years), per 10,000.
    initial_stock_per_10k: float = 35.0
    # Period of care length: short (returned home), medium, long (until adoption or 18).
    short_share: float = 0.33
    short_median_days: float = 50.0
    medium_share: float = 0.37
    medium_median_days: float = 420.0
    long_median_days: float = 1500.0
    # Placement moves a year in care (11% of children had 3+ placements in 2019).
    moves_per_year_first: float = 0.7
    moves_per_year_later: float = 0.25
    # Missing episodes: about 11% of looked-after children go missing in a year, about six
    # times each (DfE CLA missing tables).
    misser_share_teen: float = 0.30
    missing_per_year_misser: float = 6.0
    missing_per_year_other: float = 0.08


DEFAULT_LOOKED_AFTER = LookedAfterRates()
