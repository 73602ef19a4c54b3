"""Children looked after (SSDA903) marts and indicators against the generator's ground truth.

A small synthetic authority (about 6,000 children, two collection years) is generated,
ingested as a run does, and the looked-after part of the dbt project is built. The monthly
indicators must equal the generator's own counts (_truth/ssda903_monthly.csv): starts in
every covered month; ceased except in the months of injected DEC-before-DECOM defects;
missing episodes. Placement moves and the children in care are checked against counts
made here straight from the landing CSVs (pandas, no shared code with the models).
"""

from pathlib import Path

import pandas as pd
import pytest

from tests.warehouse import synthetic_warehouse

pytestmark = pytest.mark.slow

START, END = "2016-04", "2018-03"
SELECT = [
    "+fct_cla_periods_of_care+",
    "+fct_cla_placement_moves+",
    "+fct_cla_missing_episodes+",
    "+fct_cla_children_in_care_monthly+",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("cla")
    # The union of every indicator needs the other sources' models: built elsewhere.
    con = synthetic_warehouse(
        root,
        select=SELECT,
        exclude=["fct_indicator_monthly+"],
        seed=7,
        children=6000,
        start=START,
        end=END,
    )
    yield con, root / "landing"
    con.close()


def indicator(con, indicator_id: str) -> pd.DataFrame:
    """The 'all' rows of one indicator: area, month (YYYY-MM), numerator, denominator."""
    return con.execute(
        """
        select area_code, strftime(month, '%Y-%m') as month, numerator, denominator
        from marts.fct_indicator_monthly__looked_after
        where indicator_id = ? and breakdown_dimension = 'all'
        order by area_code, month
        """,
        [indicator_id],
    ).df()


def truth(landing: Path, measure: str) -> dict[tuple[str, str], int]:
    rows = pd.read_csv(landing / "_truth" / "ssda903_monthly.csv", dtype={"la_code": str})
    rows = rows[rows["measure"] == measure]
    return {(r.la_code, r.month): int(r.value) for r in rows.itertuples()}


def defect_months(landing: Path) -> set[tuple[str, str]]:
    """(area, month) of every SSDA903 date_order defect's months."""
    rows = pd.read_csv(landing / "_truth" / "defects.csv", dtype={"la_code": str})
    rows = rows[(rows["source"] == "ssda903") & (rows["kind"] == "date_order")]
    out = set()
    for r in rows.itertuples():
        for month in pd.period_range(r.first_month, r.last_month, freq="M"):
            out.add((r.la_code, str(month)))
    return out


def measured(con, indicator_id: str) -> dict[tuple[str, str], int]:
    df = indicator(con, indicator_id)
    return {(r.area_code, r.month): int(r.numerator) for r in df.itertuples()}


def covered_months() -> list[str]:
    return [str(m) for m in pd.period_range(START, END, freq="M")]


def test_every_month_of_the_returns_is_covered(built):
    con, _ = built
    months = sorted({m for _, m in measured(con, "cla_starts")})
    assert months == covered_months()


# Each measure against the answer key in every month; ceased outside the months of the
# generator's date-order defects (_truth/defects.csv).
@pytest.mark.parametrize(
    ("indicator_id", "measure", "more_than", "outside_defects"),
    [
        ("cla_starts", "starts", 10, False),
        ("cla_ceased", "ceased", 10, True),
        ("cla_missing_episodes", "missing_episodes", 5, False),
    ],
)
def test_the_indicator_equals_the_truth_in_every_covered_month(
    built, indicator_id, measure, more_than, outside_defects
):
    con, landing = built
    got = measured(con, indicator_id)
    assert sum(got.values()) > more_than
    expected = truth(landing, measure)
    skip = defect_months(landing) if outside_defects else set()
    wrong = {
        k: (v, expected.get(k, 0))
        for k, v in got.items()
        if k not in skip and v != expected.get(k, 0)
    }
    assert wrong == {}


def test_breakdowns_add_up_to_all(built):
    con, _ = built
    for indicator_id in ("cla_starts", "cla_ceased", "cla_missing_episodes", "cla_placement_moves"):
        sums = con.execute(
            """
            select breakdown_dimension, sum(numerator)
            from marts.fct_indicator_monthly__looked_after
            where indicator_id = ?
            group by breakdown_dimension
            """,
            [indicator_id],
        ).fetchall()
        assert len({total for _, total in sums}) == 1, (indicator_id, sums)


def test_most_children_starting_care_were_known_to_social_care(built):
    con, _ = built
    df = indicator(con, "cla_starts_previously_known")
    share = 100 * df["numerator"].sum() / df["denominator"].sum()
    assert df["denominator"].sum() == sum(measured(con, "cla_starts").values())
    assert 50 <= share <= 100, share


def latest_episodes(landing: Path) -> pd.DataFrame:
    """Episodes of every return, one row per (child, DECOM) from the latest return."""
    frames = []
    for path in sorted((landing / "ssda903").glob("*/*_Episodes.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame["year"] = int(path.parent.name)
        frames.append(frame)
    episodes = pd.concat(frames).sort_values("year")
    episodes = episodes.drop_duplicates(["CHILD", "DECOM"], keep="last")
    episodes["start"] = pd.to_datetime(episodes["DECOM"], format="%d/%m/%Y")
    episodes["end"] = pd.to_datetime(episodes["DEC"], format="%d/%m/%Y", errors="coerce")
    return episodes


def test_placement_moves_equal_new_placement_episodes_in_the_landing_files(built):
    con, landing = built
    episodes = latest_episodes(landing)
    moves = episodes[episodes["RNE"].isin(["P", "B", "T", "U"])]
    expected = moves["start"].dt.strftime("%Y-%m").value_counts().to_dict()
    got = {m: v for (_, m), v in measured(con, "cla_placement_moves").items()}
    assert sum(got.values()) > 5
    assert got == {m: expected.get(m, 0) for m in covered_months()}


def placement_runs(episodes: pd.DataFrame) -> pd.DataFrame:
    """Placements as runs of a child's episodes: a run starts at the child's first episode
    and at every episode with RNE S, P, B, T or U, and ends at the DEC of its last episode."""
    episodes = episodes.sort_values(["CHILD", "start"]).copy()
    first = episodes["CHILD"].ne(episodes["CHILD"].shift())
    episodes["run"] = (first | episodes["RNE"].isin(["S", "P", "B", "T", "U"])).cumsum()
    return episodes.groupby("run").agg(
        CHILD=("CHILD", "first"), start=("start", "first"), end=("end", "last")
    )


def test_children_in_care_and_their_placements_match_the_landing_files(built):
    con, landing = built
    episodes = latest_episodes(landing)
    runs = placement_runs(episodes)
    df = indicator(con, "cla_three_or_more_placements")
    assert len(df) == len(covered_months())
    for row in df.itertuples():
        first = pd.Timestamp(row.month + "-01")
        last = first + pd.offsets.MonthEnd(0)
        window = first - pd.DateOffset(months=11)
        in_care = episodes[
            (episodes["start"] <= last) & (episodes["end"].isna() | (episodes["end"] >= first))
        ]["CHILD"].unique()
        assert row.denominator == len(in_care), row.month
        seen = runs[
            runs["CHILD"].isin(in_care)
            & (runs["start"] <= last)
            & (runs["end"].isna() | (runs["end"] > window))
        ]
        assert row.numerator == int((seen.groupby("CHILD").size() >= 3).sum()), row.month
