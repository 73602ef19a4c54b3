"""The generator's DoLo tables (collection year 2027 on): written only for the years whose
schema has the table, from a stream of their own (every other file is byte-identical to a
run without them), and clean under every DfE rule 700-710 once ingested."""

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.ingest.formats.ssda903 import Ssda903Format
from orchestration.ingest.loader import Ingestor
from orchestration.privacy.pseudonymise import load_pseudonymiser
from orchestration.quality.expectations import load_suite, read_frame, validate_frame
from orchestration.settings import EXPECTATIONS_DIR
from synthetic import GenerationSummary, generate, ssda903_dolo

pytestmark = pytest.mark.slow

RUN = {"seed": 13, "children": 40_000, "start": "2025-04", "end": "2028-03", "la_code": "938"}
TRUTH = "_truth/ssda903_monthly.csv"


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "ssda903_monthly.csv"
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[GenerationSummary, GenerationSummary]:
    with_dolo = generate(tmp_path_factory.mktemp("with_dolo"), **RUN)
    patch = pytest.MonkeyPatch()
    patch.setattr(ssda903_dolo, "dolo_years", lambda period: [])
    try:
        without = generate(tmp_path_factory.mktemp("without_dolo"), **RUN)
    finally:
        patch.undo()
    return with_dolo, without


def test_dolo_tables_for_2027_on_and_every_other_byte_unchanged(runs):
    with_dolo, without = runs
    ours, theirs = hashes(with_dolo.out_dir), hashes(without.out_dir)
    added = sorted(set(ours) - set(theirs))
    assert added == [
        "ssda903/2027/ssda903_938_2027_DoLo.csv",
        "ssda903/2028/ssda903_938_2028_DoLo.csv",
    ]
    assert {k: v for k, v in ours.items() if k not in added} == theirs
    truth = pd.read_csv(with_dolo.out_dir / TRUTH)
    before = pd.read_csv(without.out_dir / TRUTH)
    pd.testing.assert_frame_equal(truth[truth["measure"] != "dolo_starts"], before)
    frames = [pd.read_csv(with_dolo.out_dir / a, dtype=str, keep_default_na=False) for a in added]
    assert all(tuple(f.columns) == ("CHILD", "DOB", "DOLO_START", "DOLO_END") for f in frames)
    orders = pd.concat(frames).drop_duplicates(["CHILD", "DOLO_START"])
    # The answer key counts each order's start once, in its month.
    starts = truth.loc[truth["measure"] == "dolo_starts", "value"].sum()
    assert starts == len(orders) >= 4


def test_generated_orders_load_and_keep_every_dfe_rule(runs, tmp_path):
    with_dolo, _ = runs
    landing = with_dolo.out_dir
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        report = Ingestor(Ssda903Format(), con, load_pseudonymiser(landing), landing).ingest(
            landing / "ssda903"
        )
        assert report.failures == []
        dolo = [o for o in report.outcomes if o.file_path.endswith("_DoLo.csv")]
        assert [o.status for o in dolo] == ["loaded", "loaded"]
        assert con.execute(
            "select count(*) from raw.schema_findings where rule like 'DfE 7%'"
        ).fetchone() == (0,)
        suite = load_suite(EXPECTATIONS_DIR / "raw_ssda903_dolo_rules.json")
        outcomes = validate_frame(suite, read_frame(con, suite))
        assert [o["rule"].split(":")[0] for o in outcomes if not o["success"]] == []
        # Orders open at 31 March 2027 (seed 13 has one) are in the 2028 return with
        # the same start.
        [(carried,)] = con.execute(
            "select count(*) from raw.ssda903_dolo a join raw.ssda903_dolo b"
            " using (child, dolo_start) where a._collection_period = '2027'"
            " and b._collection_period = '2028' and coalesce(a.dolo_end, '') = ''"
        ).fetchall()
        [(open_2027,)] = con.execute(
            "select count(*) from raw.ssda903_dolo where _collection_period = '2027'"
            " and coalesce(dolo_end, '') = ''"
        ).fetchall()
        assert carried == open_2027 >= 1
