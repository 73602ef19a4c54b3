"""Hostile deliveries for the disclosure tests: a child's identifiers (and free text) planted
wherever an error could quote them, in files of every format, with the forms a search for
them must look for."""

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import yaml
from openpyxl import Workbook

from orchestration.ingest.formats.ssda903 import table_columns
from orchestration.privacy.pseudonymise import normalise
from orchestration.sources.registry import SOURCES_DIR, contract_sources

# A child's identifiers as a partner would deliver them (the NHS number passes modulus 11).
LA_CHILD_ID = "QX7731LA"
UPN = "A123456789012"
NHS_NUMBER = "943 476 5919"
FORENAME, SURNAME = "Zebedee", "Quuxworth"
NAME = f"{FORENAME} {SURNAME}"
DOB = "17/05/2011"
POSTCODE = "ZZ99 9ZZ"
# The same child's identifiers mistyped: what a content check would want to quote.
BAD = {
    "la_child_id": "QX 7731/LA",
    "upn": "A12345678901Z9",
    "nhs_number": "9434765918",
    "date_of_birth": "31/02/2011",
    "name": "Zebedee-Quuxworth 2nd",
    "postcode_district": POSTCODE,  # a full postcode where a district is expected
}
# Free text typed into code columns: raw keeps it as delivered, but no message may quote it.
FREE_TEXT = "Wilhelmina Snorkfeld"

PLANTED = {
    "la_child_id": [LA_CHILD_ID, BAD["la_child_id"]],
    "upn": [UPN, BAD["upn"], "B210987654321"],
    "nhs_number": [NHS_NUMBER, BAD["nhs_number"]],
    "name": [FORENAME, SURNAME, BAD["name"]],
    "date_of_birth": [DOB, BAD["date_of_birth"]],
    "postcode": [POSTCODE],
}
IDENTIFIER_OF_KIND = {
    "la_child_id": LA_CHILD_ID,
    "upn": UPN,
    "nhs_number": NHS_NUMBER,
    "date_of_birth": DOB,
    "postcode_district": POSTCODE,
}


def forms(kind: str, value: str) -> set[str]:
    """The value as delivered, without spaces or punctuation, and its canonical form."""
    found = {value, re.sub(r"\s", "", value), re.sub(r"[^A-Za-z0-9]", "", value)}
    if kind == "date_of_birth":
        day, month, year = value.split("/")
        found = {value, f"{year}-{month}-{day}", f"{day}-{month}-{year}", f"{day}.{month}.{year}"}
    elif kind != "postcode":
        found.add(normalise(kind, value))
    return {needle.lower() for needle in found if len(needle) >= 6}


IDENTIFIER_NEEDLES = {
    needle: f"{kind} {value!r}"
    for kind, values in PLANTED.items()
    for value in values
    for needle in forms(kind, value)
}
MESSAGE_NEEDLES = {**IDENTIFIER_NEEDLES, FREE_TEXT.lower(): "free text in a code column"}


def leaks(text: str, needles: dict[str, str] = MESSAGE_NEEDLES) -> set[str]:
    lowered = text.lower()
    return {f"{what} as {needle!r}" for needle, what in needles.items() if needle in lowered}


# --- the hostile deliveries ---------------------------------------------------------------


def write_csv(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_xlsx(path: Path, rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)


def csv_line(cells: list[str]) -> str:
    return ",".join(f'"{cell}"' if "," in cell else cell for cell in cells)


SSDA903_IDENTIFIERS = {
    "CHILD": LA_CHILD_ID,
    "UPN": UPN,
    "DOB": DOB,
    "MC_DOB": DOB,
    "HOME_POST": POSTCODE,
    "PL_POST": POSTCODE,
}


def ssda903_row(columns: list[str], values: dict[str, str], other: str) -> list[str]:
    return [values.get(column, other) for column in columns]


def contract_columns(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text())["columns"]


def contract_row(columns: list[dict], identifiers: dict[str, str], free_text: bool) -> list[str]:
    """A row that passes the contract except for its identifier columns (and, if free_text,
    one code column holding a name)."""
    row, free_text_used = [], not free_text
    for column in columns:
        if column.get("identifier"):
            kind = column["identifier"]
            given_name = FORENAME if "FORE" in column["name"] else SURNAME
            row.append(identifiers.get(kind, given_name))
        elif column["name"] == "LA_CODE":
            row.append("938")
        elif column.get("codes"):
            row.append(str(next(iter(column["codes"]))) if free_text_used else FREE_TEXT)
            free_text_used = True
        else:
            row.append(
                {"date": "03/04/2020", "datetime": "2020-04-03 10:00:00", "integer": "1"}.get(
                    column["type"], "Y" if column["type"] == "flag" else "X1"
                )
            )
    return row


def plant_delimited(landing: Path) -> None:
    ssda = landing / "ssda903" / "938" / "2021"
    for table, columns in table_columns().items():
        planted = ssda903_row(columns, SSDA903_IDENTIFIERS, NAME)
        # The second row names the table, so that no two files have the same content.
        write_csv(
            ssda / f"headerless_{table}.csv", [csv_line(planted), csv_line([*planted, table])]
        )
    header_columns = table_columns()["Header"]
    header_row = ssda903_row(header_columns, SSDA903_IDENTIFIERS, "1")
    write_xlsx(ssda / "headerless_header.xlsx", [header_row, header_row])
    # A header whose UPN cell holds a UPN: no table matches.
    write_csv(
        ssda / "upn_in_header.csv",
        [",".join(c if c != "UPN" else UPN for c in header_columns), ",".join(header_row)],
    )
    # A header with a data cell after the columns, and bad values in every identifier column.
    bad = ssda903_row(
        header_columns,
        {"CHILD": BAD["la_child_id"], "UPN": BAD["upn"], "DOB": BAD["date_of_birth"]},
        FREE_TEXT,
    )
    bad[header_columns.index("MC_DOB")] = "2011-02-30"
    write_csv(
        ssda / "bad_values_header.csv",
        [",".join([*header_columns, NAME]), ",".join([*bad, UPN]), ",".join(bad[:3])],
    )
    episodes = table_columns()["Episodes"]
    row = {**SSDA903_IDENTIFIERS, "DECOM": "01/05/2020", "DEC": "", "RNE": FREE_TEXT}
    write_csv(
        landing / "ssda903" / "938" / "bad_values_episodes.csv",
        [",".join(episodes), ",".join(ssda903_row(episodes, row, "1"))],
    )

    for contract in [entry.path for entry in contract_sources()]:
        source, columns = contract.stem, contract_columns(contract)
        names = [column["name"] for column in columns]
        planted = contract_row(columns, IDENTIFIER_OF_KIND, free_text=False)
        # Headerless: non-identifier cells hold the name and the date of birth.
        headerless = [
            cell if column.get("identifier") else (DOB if column["type"] == "date" else NAME)
            for cell, column in zip(planted, columns, strict=True)
        ]
        write_csv(landing / source / "headerless.csv", [csv_line(headerless)] * 2)
        # The event date's name replaced by a date of birth: a required column is missing.
        event = yaml.safe_load(contract.read_text())["event_date"]
        write_csv(
            landing / source / "date_in_header.csv",
            [",".join(DOB if n == event else n for n in names), csv_line(planted)],
        )
        bad = contract_row(columns, BAD, free_text=True)
        good = contract_row(columns, IDENTIFIER_OF_KIND, free_text=False)
        write_csv(
            landing / source / "bad_values.csv",
            [
                csv_line([*names, NAME]),  # a data cell in the header
                csv_line([*bad, UPN]),
                csv_line([*good, UPN]),
                csv_line([*good, UPN, NAME, DOB]),  # too many fields
                csv_line(good[:3] + [NAME]),  # too few
                csv_line(['"' + NAME + '"' + SURNAME, *good[1:], UPN]),  # a broken quote
                csv_line([*good, UPN]),
                csv_line([*good, UPN]),
            ],
        )
    police = contract_columns(SOURCES_DIR / "police_incidents.yaml")
    planted = contract_row(police, IDENTIFIER_OF_KIND, free_text=False)
    cells: list = [NAME if c == "X1" else c for c in planted]
    cells[[c["name"] for c in police].index("CHILD_DOB")] = datetime(2011, 5, 17)
    write_xlsx(landing / "police_incidents" / "headerless.xlsx", [cells, cells])
    write_csv(landing / "misc" / "children.csv", [csv_line(planted)])


CIN_HEADER = (
    "<Header><CollectionDetails><Collection>CIN</Collection><Year>2021</Year>"
    "<ReferenceDate>2021-03-31</ReferenceDate></CollectionDetails>"
    "<Source><SourceLevel>L</SourceLevel><LEA>938</LEA></Source></Header>"
)


def cin_child(la_child_id: str, upn: str, birth_date: str, source: str, extra: str = "") -> str:
    return (
        f"<Child>\n<ChildIdentifiers><LAchildID>{la_child_id}</LAchildID><UPN>{upn}</UPN>"
        f"<FormerUPN>B210987654321</FormerUPN><PersonBirthDate>{birth_date}</PersonBirthDate>"
        f"<GenderCurrent>1</GenderCurrent>{extra}</ChildIdentifiers>\n"
        "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>\n"
        "<CINdetails><CINreferralDate>2020-05-01</CINreferralDate>"
        f"<ReferralSource>{source}</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
        "<ReferralNFA>0</ReferralNFA></CINdetails>\n</Child>"
    )


def cin_message(children: str, root: str = "Message", header: str = CIN_HEADER) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n{header}\n'
        f"<Children>\n{children}\n</Children>\n</{root.split()[0]}>\n"
    )


def plant_cin(landing: Path) -> None:
    folder = landing / "cin_census"
    folder.mkdir(parents=True, exist_ok=True)
    good = cin_child(LA_CHILD_ID, UPN, "2011-05-17", "1A")
    files = {
        "headerless_903.xml": csv_line(
            ssda903_row(table_columns()["Header"], SSDA903_IDENTIFIERS, NAME)
        ),
        "root_named_by_a_upn.xml": cin_message(good, root=UPN),
        "root_in_a_namespace.xml": cin_message(good, root=f'Message xmlns="urn:{SURNAME}"'),
        "tag_mismatch.xml": cin_message(good.replace("</UPN>", f"</{FORENAME}>")),
        "truncated_in_a_tag.xml": cin_message("")[:-40] + f"<Child><{SURNAME}>{UPN}",
        "undefined_entity.xml": cin_message(good.replace("1A<", f"&{SURNAME};<")),
        "attribute_without_value.xml": cin_message(good.replace("<Child>", f"<Child {SURNAME}>")),
        "comment_broken.xml": cin_message(good + f"<!-- {NAME} -- {UPN} -->"),
        "cdata_unfinished.xml": cin_message(good.replace("1A<", f"<![CDATA[{NAME} {UPN}<")),
        "latin1_name.xml": cin_message(good.replace("1A<", f"{FORENAME}\xe9<")).encode("cp1252"),
        "unsupported_encoding.xml": cin_message(good).replace("UTF-8", SURNAME),
        "odd_but_well_formed.xml": cin_message(
            "\n".join(
                [
                    cin_child(BAD["la_child_id"] * 3, BAD["upn"], DOB, FREE_TEXT),
                    cin_child(
                        LA_CHILD_ID, UPN, BAD["date_of_birth"], "1A", f"<{SURNAME}>x</{SURNAME}>"
                    ),
                    cin_child(LA_CHILD_ID, UPN, "2011-05-17", "1A").replace(
                        "<Child>", f'<Child {SURNAME}="{UPN}">{NAME}'
                    ),
                ]
            ),
            header=CIN_HEADER.replace("<SourceLevel>", f"<{FORENAME}/><SourceLevel>"),
        ),
        "la_code_is_a_name.xml": cin_message(good, header=CIN_HEADER.replace("938", NAME)),
    }
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def plant_everything(landing: Path) -> int:
    plant_delimited(landing)
    plant_cin(landing)
    return sum(1 for path in landing.rglob("*") if path.is_file() and path.name[0] != "_")


def zipped(members: dict[str, bytes]) -> bytes:
    """A zip archive holding the members (name -> bytes), as a partner may send one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()
