"""The cases the attack on ingestion found, one by one (the property test beside this file,
test_malformed_files.py, covers them among its mutations), and what a step does with an error
that is not a delivered file's: retried only when it is transient."""

import dagster as dg
import duckdb
import pytest

from orchestration.ingest import robust
from orchestration.ingest.delivered import DeliveredFile
from orchestration.ingest.formats.ssda903 import Ssda903Format
from orchestration.ingest.loader import Ingestor
from tests.unit.test_malformed_files import (
    MARKER,
    PSEUDONYMISER,
    Delivery,
    check_clean,
    csv_text,
    ssda903_table,
)


def test_a_socialworker_table_before_2024_is_refused_with_the_reason(tmp_path):
    text = csv_text(ssda903_table("SocialWorker")).replace("/2023", "/2021")
    episodes = csv_text(ssda903_table("Episodes")).encode()
    delivery = Delivery(Ssda903Format(), "ssda903/938", text.encode(), episodes, "csv")
    [(_, status, _, _, error, _), _] = check_clean(tmp_path, delivery)
    assert status == "failed"
    assert "the 2022 specification has no SocialWorker table" in error


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
@pytest.mark.parametrize("breaks", [["\n"], ["\r\n"], ["\r"], ["\r\n", "\n", "\r"]])
def test_unicode_encodings_and_mixed_line_endings_load_every_row(tmp_path, encoding, breaks):
    table = ssda903_table("Episodes")
    lines = [",".join(row) for row in [table.header, *table.rows * 50]]
    text = "".join(line + breaks[i % len(breaks)] for i, line in enumerate(lines))
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    folder = tmp_path / "ssda903" / "938"
    folder.mkdir(parents=True)
    (folder / "episodes.csv").write_bytes(bom + text.encode(encoding))
    with duckdb.connect() as con:
        [outcome] = (
            Ingestor(Ssda903Format(), con, PSEUDONYMISER, tmp_path)
            .ingest(tmp_path / "ssda903")
            .outcomes
        )
        lines_loaded = con.execute(
            "select min(_record_line), max(_record_line) from raw.ssda903_episodes"
        ).fetchone()
    assert (outcome.status, outcome.rows_loaded, outcome.rows_rejected) == ("loaded", 200, 0)
    assert lines_loaded == (2, 201)


class BrokenFormat(Ssda903Format):
    """A reader with a bug that one file meets: the error names a delivered value."""

    def read(self, delivered: DeliveredFile, delivery: object, file_key: str):
        if "broken" in delivered.name:
            raise KeyError(f"{MARKER} a delivered value")
        return super().read(delivered, delivery, file_key)


def test_an_unexpected_error_fails_its_file_alone_without_its_message(tmp_path):
    folder = tmp_path / "ssda903" / "938"
    folder.mkdir(parents=True)
    (folder / "a_broken.csv").write_text(csv_text(ssda903_table("Episodes")))
    (folder / "b_fine.csv").write_text(csv_text(ssda903_table("Reviews")))
    with duckdb.connect() as con:
        report = Ingestor(BrokenFormat(), con, PSEUDONYMISER, tmp_path).ingest(folder.parent)
        fixes = con.execute("select fix from raw.file_manifest where status = 'failed'").fetchall()
    broken, fine = report.outcomes
    assert (broken.status, fine.status, fine.rows_loaded) == ("failed", "loaded", 4)
    assert "unexpected KeyError (at orchestration/ingest/robust.py:" in broken.error
    assert MARKER not in broken.error and "platform team" in fixes[0][0]


def test_only_transient_errors_are_left_for_the_retry_policy():
    with pytest.raises(duckdb.IOException), robust.retry_only_transient("ingest_x"):
        raise duckdb.IOException("Could not set lock on file")
    with pytest.raises(dg.Failure) as failure, robust.retry_only_transient("ingest_x"):
        raise ValueError(f"{MARKER} quoted by a library")
    assert not failure.value.allow_retries
    assert "ingest_x stopped on ValueError" in failure.value.description
    assert MARKER not in failure.value.description and failure.value.__cause__ is None
