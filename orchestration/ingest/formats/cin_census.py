"""Children in Need census XML (DfE), every schema from 2017 to 2026.

The file is streamed with iterparse so that memory stays bounded whatever the number of
children. Each Child is validated against the XSD of the file's collection year; schema
errors become findings (content problems travel on as caveats) while a child that cannot be
identified at all is rejected with its line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from lxml import etree

from orchestration.ingest.delivered import DeliveredFile
from orchestration.ingest.formats.cin_census_tables import (
    CHILD,
    ELEMENT_TABLES,
    ElementTable,
)
from orchestration.ingest.formats.xml_messages import (
    XS_NAMESPACE,
    declared_names,
    not_well_formed,
    schema_findings,
)
from orchestration.ingest.model import Batch, Delivery, FileRejected, Rejection
from orchestration.settings import REFERENCE_DIR

SOURCE = "cin_census"
XSD_DIR = REFERENCE_DIR / "dfe_schemas" / "cin_census_xsd"
CHILDREN_PER_BATCH = 5_000
YES_NO_ELEMENTS = ("ReferralNFA", "ICPCnotRequired")
YES_NO_SPELLINGS = {"true": "1", "false": "0"}
REEXPORT = "Re-export the file from the case management system as UTF-8; do not edit it by hand."


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _text(element: etree._Element, path: str) -> str | None:
    return _clean(element.text if path == "." else element.findtext(path))


def _leaf_texts(element: etree._Element) -> dict[str, str | None]:
    """Texts of the children and grandchildren by relative path, read in one pass: far
    cheaper than a findtext per field, and field paths are never deeper than two."""
    texts: dict[str, str | None] = {".": _clean(element.text)}
    for child in element:
        if len(child):
            for grandchild in child:
                texts.setdefault(f"{child.tag}/{grandchild.tag}", _clean(grandchild.text))
        else:
            texts.setdefault(child.tag, _clean(child.text))
    return texts


def _extract(
    element: etree._Element,
    spec: ElementTable,
    key: str,
    parent_key: str | None,
    rows: dict[str, dict[str, list]],
) -> None:
    columns = rows[spec.table.name]
    columns["_record_line"].append(element.sourceline)
    if spec.key:
        columns[spec.key].append(key)
    if spec.parent_key:
        columns[spec.parent_key].append(parent_key)
    texts = _leaf_texts(element)
    for column, path in spec.fields.items():
        columns[column].append(texts.get(path))
    for child_spec in spec.children:
        for index, child in enumerate(element.iterfind(child_spec.path), start=1):
            _extract(child, child_spec, f"{key}-{child_spec.key_suffix}{index}", key, rows)


@lru_cache(maxsize=16)
def fragment_schema(year: int) -> etree.XMLSchema:
    """The year's XSD with Header and Child declared as global elements, so that each can be
    validated on its own while the file streams past."""
    available = sorted(int(p.stem.rsplit("_", 1)[1]) for p in XSD_DIR.glob("CIN_schema_*.xsd"))
    chosen = min(available, key=lambda candidate: abs(candidate - year))
    document = etree.parse(str(XSD_DIR / f"CIN_schema_{chosen}.xsd"))
    for name, type_name in (("Child", "childtype"), ("Header", "headertype")):
        etree.SubElement(
            document.getroot(), f"{{{XS_NAMESPACE}}}element", name=name, type=type_name
        )
    return etree.XMLSchema(document)


def _normalise_yes_no(child: etree._Element) -> None:
    """Older software writes yes/no as true/false; the strict XSD wants 0/1."""
    for name in YES_NO_ELEMENTS:
        for element in child.iter(name):
            if element.text and element.text.strip().lower() in YES_NO_SPELLINGS:
                element.text = YES_NO_SPELLINGS[element.text.strip().lower()]


def _empty_rows() -> dict[str, dict[str, list]]:
    return {spec.table.name: defaultdict(list) for spec in ELEMENT_TABLES}


class CinCensusFormat:
    """The DfE CIN census XML return."""

    source = SOURCE
    family = "social_care"
    description = (
        "Children in Need census XML returns (data/landing/cin_census/), streamed, validated "
        "against the XSD of their collection year, identifiers pseudonymised, with lineage."
    )
    tables = tuple(spec.table for spec in ELEMENT_TABLES)
    # One authority's return for one year, streamed: the generator writes 2.1 MB per 25,000
    # children, so the largest authority's (~350,000) is about 30 MB; 1 GiB leaves 30 times
    # that for fuller recording, and a 100,000-child test return is well inside it.
    max_file_bytes = 1024 * 2**20

    def detect(self, delivered: DeliveredFile) -> Delivery:
        # The header only: the stream stops at its end, and read parses the file once.
        path = delivered.path
        header = _read_header(path)
        if header is None:
            raise FileRejected(
                f"{path.name} has no <Header>, so its collection year and LA cannot be read",
                "Export the CIN census with its Header (CollectionDetails and Source).",
            )
        year = (
            header.findtext("CollectionDetails/Year")
            or (header.findtext("CollectionDetails/ReferenceDate") or "")[:4]
        )
        if not re.fullmatch(r"\d{4}", year.strip()):
            raise FileRejected(
                f"{path.name} gives no collection year in Header/CollectionDetails",
                "Add <Year> (for example 2022) or <ReferenceDate> to CollectionDetails.",
                header.sourceline,
            )
        area = (header.findtext("Source/LEA") or "").strip()
        if not re.fullmatch(r"\d{3}", area):
            raise FileRejected(
                f"{path.name} gives no three-digit LA code in Header/Source/LEA",
                "Add the authority's three-digit LEA code (for example 938) to Source.",
                header.sourceline,
            )
        return Delivery(SOURCE, area, year.strip())

    def read(self, delivered: DeliveredFile, delivery: Delivery, file_key: str) -> Iterator[Batch]:
        path = delivered.path
        schema = fragment_schema(int(delivery.collection_period))
        rows, records, rejections, findings = _empty_rows(), 0, [], []
        children_seen = 0
        for element in _stream(path, ("Header", "Child")):
            if element.tag == "Header":
                findings.extend(schema_findings(schema, element, declared_names(XSD_DIR)))
                continue
            children_seen += 1
            rejection = _identification_problem(element)
            if rejection:
                rejections.append(rejection)
            else:
                _extract(element, CHILD, f"{file_key}-{children_seen}", None, rows)
                _normalise_yes_no(element)
                findings.extend(schema_findings(schema, element, declared_names(XSD_DIR)))
                records += 1
            _release(element)
            if records >= CHILDREN_PER_BATCH:
                yield Batch(rows, records, rejections, findings)
                rows, records, rejections, findings = _empty_rows(), 0, [], []
        yield Batch(rows, records, rejections, findings)


def _identification_problem(child: etree._Element) -> Rejection | None:
    if _text(child, "ChildIdentifiers/LAchildID"):
        return None
    return Rejection(
        child.sourceline,
        "Child",
        "Child has no LAchildID, so none of its records can be attributed to a child",
        "Record the child's LA identifier in the case management system and re-export.",
    )


def _stream(path: Path, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    try:
        for _, element in etree.iterparse(str(path), events=("end",), tag=tags, huge_tree=True):
            yield element
    except etree.XMLSyntaxError as error:
        raise not_well_formed(path, error, REEXPORT) from None


def _release(element: etree._Element) -> None:
    """Free what iterparse has built so far, so memory does not grow with the file."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


def _read_header(path: Path) -> etree._Element | None:
    root_seen = False
    try:
        for event, element in etree.iterparse(str(path), events=("start", "end")):
            if event == "start" and not root_seen:
                root_seen = True
                if element.tag != "Message":
                    # Not quoted: a tag is delivered content, and could be anything.
                    raise FileRejected(
                        f"{path.name} is not a CIN census return: its root element is not"
                        " <Message> (without a namespace)",
                        "Check that the file is the CIN census XML and not another return.",
                        element.sourceline,
                    )
            elif event == "start" and element.tag == "Children":
                return None
            elif event == "end" and element.tag == "Header":
                if element.findtext("CollectionDetails/Collection", "CIN").strip() != "CIN":
                    raise FileRejected(
                        f"{path.name} is not a CIN census return (Collection is not CIN)",
                        "Check that the file is the CIN census XML and not another return.",
                        element.sourceline,
                    )
                return element
    except etree.XMLSyntaxError as error:
        raise not_well_formed(path, error, REEXPORT) from None
    return None
