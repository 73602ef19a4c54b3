"""The SSD extracts' looked-after objects against the SSDA903 returns of the same run: each
year's extract holds exactly the episodes of care that year's Episodes table holds (the same
child, start, RNE, need, ceased date and REC, open ones from earlier years included, a
ceased date only once it happened) and exactly the missing episodes of its Missing table,
every record's child in the extract's people, ids that stay the same from extract to
extract and one period of care id for the episodes of one period."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from types import SimpleNamespace
from typing import cast

import numpy as np
import pandas as pd
import pytest

from synthetic import GenerationSummary
from synthetic.calendar import NO_DATE, to_day
from synthetic.care_episodes import CareEpisodes
from synthetic.care_periods import CarePeriods
from synthetic.looked_after import LookedAfter
from synthetic.population import Population
from synthetic.writers.ssd_cla import cla_ids, cla_tables
from tests.synthetic.test_synth_ssd_cin import YEARS, extract

MADE = ("2020-04-01", "2021-04-01", "2021-07-01")
EPISODE = [
    "clae_person_id",
    "clae_cla_episode_start_date",
    "clae_cla_episode_start_reason",
    "clae_cla_primary_need_code",
    "clae_cla_episode_ceased_date",
    "clae_cla_episode_ceased_reason",
]
MISSING = [
    "miss_person_id",
    "miss_missing_episode_start_date",
    "miss_missing_episode_type",
    "miss_missing_episode_end_date",
]


def returned(
    run: GenerationSummary, year: int, table: str, iso_dates: tuple[str, ...] = ()
) -> pd.DataFrame:
    """A table of the year's return, its dates named in iso_dates (dd/mm/yyyy) as the SSD
    writes them."""
    path = run.out_dir / "ssda903" / str(year) / f"ssda903_938_{year}_{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.assign(**{column: iso(frame[column]) for column in iso_dates})


def iso(column: pd.Series) -> list[str]:
    return [datetime.strptime(d, "%d/%m/%Y").date().isoformat() if d else "" for d in column]


def rows(frame: pd.DataFrame, columns: list[str]) -> Counter:
    return Counter(frame[columns].itertuples(index=False, name=None))


@pytest.mark.parametrize("year", YEARS)
def test_each_extract_holds_the_episodes_of_care_of_that_year_s_return(
    ssd_run: GenerationSummary, year: int
) -> None:
    expected = returned(ssd_run, year, "Episodes", iso_dates=("DECOM", "DEC"))
    wanted = rows(expected, ["CHILD", "DECOM", "RNE", "CIN", "DEC", "REC"])
    extracted = extract(ssd_run, "ssd_cla_episodes", f"{year}-04-01")
    assert rows(extracted, EPISODE) == wanted
    assert len(extracted) > 60
    year_start, year_end = f"{year - 1}-04-01", f"{year}-03-31"
    start = extracted["clae_cla_episode_start_date"]
    ceased = extracted["clae_cla_episode_ceased_date"]
    # open ones from earlier years restated, a ceased date only once it happened, its reason
    # with it
    assert (start < year_start).sum() > 10
    assert 0 < (ceased == "").sum() < len(extracted)
    assert ((ceased == "") == (extracted["clae_cla_episode_ceased_reason"] == "")).all()
    assert ceased[ceased != ""].between(year_start, year_end).all()
    assert (start <= year_end).all()
    assert set(extracted["clae_cla_episode_start_reason"]) >= {"S", "P"}


@pytest.mark.parametrize("year", YEARS)
def test_each_extract_holds_the_missing_episodes_of_that_year_s_return(
    ssd_run: GenerationSummary, year: int
) -> None:
    expected = returned(ssd_run, year, "Missing", iso_dates=("MIS_START", "MIS_END"))
    wanted = rows(expected, ["CHILD", "MIS_START", "MISSING", "MIS_END"])
    extracted = extract(ssd_run, "ssd_missing", f"{year}-04-01")
    assert rows(extracted, MISSING) == wanted
    assert len(extracted) > 5
    assert set(extracted["miss_missing_episode_type"]) <= {"M", "A"}
    assert (
        extracted["miss_missing_episode_start_date"]
        .between(f"{year - 1}-04-01", f"{year}-03-31")
        .all()
    )


def test_the_children_are_the_extract_s_people_and_periods_of_care_hold_together(
    ssd_run: GenerationSummary,
) -> None:
    for made in MADE:
        people = set(extract(ssd_run, "ssd_person", made)["pers_person_id"])
        linked = set(extract(ssd_run, "ssd_linked_identifiers", made)["link_person_id"])
        care = extract(ssd_run, "ssd_cla_episodes", made)
        spells = extract(ssd_run, "ssd_missing", made)
        children = set(care["clae_person_id"]) | set(spells["miss_person_id"])
        assert children <= people
        assert len(children & linked) > 0.9 * len(children)
        # one period of care, one child and one day entered care, on or before its episodes
        period = care.groupby("clae_cla_id")
        assert (period["clae_person_id"].nunique() == 1).all()
        assert (period["clae_entered_care_date"].nunique() == 1).all()
        assert (care["clae_entered_care_date"] <= care["clae_cla_episode_start_date"]).all()
        # a period's first episode begins when the child entered care
        began = care["clae_cla_episode_start_reason"] == "S"
        assert (
            care.loc[began, "clae_entered_care_date"]
            == care.loc[began, "clae_cla_episode_start_date"]
        ).all()
        # an episode ceased X1 is followed, the same day, by the next of the same period
        following = care.set_index(["clae_cla_id", "clae_cla_episode_start_date"]).index
        moved = care[care["clae_cla_episode_ceased_reason"] == "X1"]
        assert len(moved) > (2 if made == "2021-07-01" else 10)
        assert all(
            key in following
            for key in zip(moved["clae_cla_id"], moved["clae_cla_episode_ceased_date"], strict=True)
        )
        assert care["clae_cla_id"].nunique() < len(care)


def test_ids_stay_the_same_from_extract_to_extract_and_the_short_extract_knows_its_last_day(
    ssd_run: GenerationSummary,
) -> None:
    key = ["clae_person_id", "clae_cla_episode_start_date"]
    frames = {made: extract(ssd_run, "ssd_cla_episodes", made) for made in MADE}
    both = frames["2020-04-01"].merge(frames["2021-04-01"], on=key, suffixes=("_a", "_b"))
    assert len(both) > 10
    assert (both["clae_cla_episode_id_a"] == both["clae_cla_episode_id_b"]).all()
    assert (both["clae_cla_id_a"] == both["clae_cla_id_b"]).all()
    # open at the first extract, ceased in the second year
    ceased_a, ceased_b = (
        both["clae_cla_episode_ceased_date_a"],
        both["clae_cla_episode_ceased_date_b"],
    )
    assert ((ceased_a == "") & (ceased_b != "")).any()
    every = pd.concat(frames.values())
    assert every.groupby("clae_cla_episode_id")[key].nunique().max().max() == 1
    short = frames["2021-07-01"]
    assert short["clae_cla_episode_start_date"].max() <= "2021-06-30"
    assert short["clae_cla_episode_ceased_date"].max() <= "2021-06-30"
    # it holds the episodes the 31 March extract left open, and none ceased before April
    march = frames["2021-04-01"]
    still_open = march[march["clae_cla_episode_ceased_date"] == ""]
    assert set(still_open["clae_cla_episode_id"]) <= set(short["clae_cla_episode_id"])
    assert (short["clae_cla_episode_ceased_date"].replace("", "9999") >= "2021-04-01").all()
    spells = {made: extract(ssd_run, "ssd_missing", made) for made in MADE}
    short_spells = spells["2021-07-01"]["miss_missing_episode_start_date"]
    assert short_spells.between("2021-04-01", "2021-06-30").all() and len(short_spells) > 0
    # a missing episode is in the extract of the year it began only, under one id
    ids = pd.concat(spells.values())["miss_table_id"]
    assert not ids.duplicated().any()


def day(text: str) -> int:
    return to_day(date.fromisoformat(text))


def days(*texts: str) -> np.ndarray:
    return np.array([NO_DATE if t == "" else day(t) for t in texts], dtype=np.int64)


def text(*values: str) -> np.ndarray:
    return np.array(values, dtype=object)


def test_a_ceased_date_or_an_end_is_written_only_once_it_happened_by_the_last_day() -> None:
    # Child 0: in care since 2019-01-10, a move on 2019-09-01, still in care. Child 1: in
    # care 2020-03-20 to 2020-05-02. Child 2: left care on 31 March 2019, the day before the
    # 2020 return's year (in the 2019 return only), and child 3 on 1 April 2019 (in both).
    periods = CarePeriods(
        child=np.array([0, 1, 2, 3]),
        start=days("2019-01-10", "2020-03-20", "2018-05-01", "2018-06-01"),
        end=days("", "2020-05-02", "2019-03-31", "2019-04-01"),
        route=np.zeros(4, dtype=np.int64),
        reason=text("", "E4A", "E8", "E13"),
        adopted=np.zeros(4, dtype=bool),
        placement_order=days("", "", "", ""),
    )
    n = 5
    episodes = CareEpisodes(
        period=np.array([0, 0, 1, 2, 3]),
        child=np.array([0, 0, 1, 2, 3]),
        start=days("2019-01-10", "2019-09-01", "2020-03-20", "2018-05-01", "2018-06-01"),
        end=days("2019-09-01", "", "2020-05-02", "2019-03-31", "2019-04-01"),
        rne=text("S", "P", "S", "S", "S"),
        legal_status=text(*["C1"] * n),
        place=text(*["U1"] * n),
        provider=text(*["PR1"] * n),
        reason_ceased=text("X1", "", "E4A", "E8", "E13"),
        reason_place_change=text(*[""] * n),
        need=text("N1", "N1", "N4", "N2", "N5"),
        pl_inside=np.ones(n, dtype=bool),
    )
    cla = LookedAfter(
        periods,
        episodes,
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        text(),
        missing_child=np.array([0, 0, 1, 3]),
        # missing over the year end; a day; begun in the year's first days; the day before
        missing_start=days("2020-03-30", "2019-06-01", "2020-03-25", "2019-03-31"),
        missing_end=days("2020-04-02", "2019-06-02", "2020-03-26", "2019-04-01"),
        missing_kind=text("M", "A", "M", "M"),
    )
    population = cast(
        Population,
        SimpleNamespace(la_child_id=text("K0", "K1", "K2", "K3"), dob=days(*["2005-01-01"] * 4)),
    )
    ids = cla_ids(cla)
    tables, people = cla_tables(cla, population, ids, day("2020-03-31"))
    care, spells = (pd.DataFrame(tables[name]) for name in ("ssd_cla_episodes", "ssd_missing"))
    assert list(
        care[["clae_cla_episode_id", *EPISODE[:2], *EPISODE[4:]]].itertuples(index=False, name=None)
    ) == [
        ("CE0000001", "K0", "2019-01-10", "2019-09-01", "X1"),
        ("CE0000002", "K0", "2019-09-01", "", ""),
        ("CE0000003", "K1", "2020-03-20", "", ""),  # ceases in May, after the last day
        ("CE0000005", "K3", "2018-06-01", "2019-04-01", "E13"),
    ]
    assert list(care["clae_cla_id"]) == ["CL0000001", "CL0000001", "CL0000002", "CL0000004"]
    assert list(care["clae_entered_care_date"]) == [
        "2019-01-10",
        "2019-01-10",
        "2020-03-20",
        "2018-06-01",
    ]
    assert list(spells[["miss_table_id", *MISSING]].itertuples(index=False, name=None)) == [
        ("MI0000001", "K0", "2020-03-30", "M", ""),  # back on 2 April: not yet
        ("MI0000002", "K0", "2019-06-01", "A", "2019-06-02"),
        ("MI0000003", "K1", "2020-03-25", "M", "2020-03-26"),
    ]
    assert sorted(people.tolist()) == [0, 0, 0, 0, 1, 1, 3]
    # An extract cut short on 30 June 2020: the year from 1 April 2020, what ceased by then.
    tables, _ = cla_tables(cla, population, ids, day("2020-06-30"))
    care = pd.DataFrame(tables["ssd_cla_episodes"])
    assert list(care[["clae_cla_episode_id", *EPISODE[4:]]].itertuples(index=False, name=None)) == [
        ("CE0000002", "", ""),
        ("CE0000003", "2020-05-02", "E4A"),
    ]
    assert len(tables["ssd_missing"]["miss_table_id"]) == 0
