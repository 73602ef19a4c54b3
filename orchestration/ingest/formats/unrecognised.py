"""Files in a landing folder that no source reads."""

from collections.abc import Iterator

from orchestration.ingest.delivered import DeliveredFile
from orchestration.ingest.model import Batch, Delivery, FileRejected


class UnrecognisedFormat:
    """Files in a landing folder that no source reads: recorded as failed, with where they
    should go, so that nothing a partner sends goes unseen."""

    source = "unrecognised"
    tables = ()
    # Nothing here is read, only hashed for the manifest: a file larger than any source
    # accepts is refused without that.
    max_file_bytes = 2048 * 2**20

    def __init__(self, sources: list[str]) -> None:
        self.sources = sources

    def detect(self, delivered: DeliveredFile) -> Delivery:
        raise FileRejected(
            f"{delivered.name} is in a landing folder that no source reads",
            f"Move it to data/landing/<source>/ for one of {', '.join(self.sources)},"
            " or remove it.",
        )

    def read(self, delivered: DeliveredFile, delivery: Delivery, file_key: str) -> Iterator[Batch]:
        return iter(())
