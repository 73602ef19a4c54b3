"""A month no delivery completes gets no rows: an extract's period ends before the month it
was delivered in, and that month's rows load as findings, never as a month of data."""

import os
from datetime import date, datetime

from orchestration.ingest.periods import complete_months
from tests.unit.test_supersede import (
    POLICE_HEADER,
    fetch,
    ingest,
    police,
    police_format,
    write,
)


def test_the_delivery_month_is_left_out_of_the_period() -> None:
    assert complete_months("2021-08", "2021-11", date(2021, 11, 3)) == "2021-08..2021-10"
    assert complete_months("2021-12", "2022-01", date(2022, 1, 9)) == "2021-12..2021-12"
    # Delivered after the last month ended: nothing to leave out.
    assert complete_months("2021-08", "2021-10", date(2021, 11, 3)) == "2021-08..2021-10"
    # Every dated row in the delivery month: the period is all the file holds.
    assert complete_months("2021-11", "2021-11", date(2021, 11, 20)) == "2021-11..2021-11"


def test_an_extract_sent_early_in_a_month_covers_the_months_before(con, tmp_path) -> None:
    october = police(range(400), "15/10/2021")
    november = police(range(400, 412), "02/11/2021")
    path = write(tmp_path / "police_incidents" / "to_date.csv", POLICE_HEADER, october + november)
    sent = datetime(2021, 11, 3, 9, 0).timestamp()
    os.utime(path, (sent, sent))
    ingest(con, tmp_path, police_format())
    assert fetch(con, "select collection_period from raw.file_manifest") == [("2021-10..2021-10",)]
    assert fetch(con, "select count(*) from raw.police_incidents") == [(412,)]  # nothing lost
    [(message,)] = fetch(
        con, "select message from raw.schema_findings where rule = 'date_outside_period'"
    )
    assert message.startswith("12 row(s)") and "the month it was delivered" in message
