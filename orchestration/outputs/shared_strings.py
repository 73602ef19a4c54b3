"""Text cells as a shared string table, as Excel writes them. openpyxl (3.1) writes every text
cell inline, its words repeated in every row; a reader then builds one text object per cell,
which made the workbook slow to open. Rewritten here after saving: each distinct text is
stored once (xl/sharedStrings.xml) and cells point at it."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PART = "xl/sharedStrings.xml"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
# openpyxl's inline text cell: <c r=".." [s=".."] t="inlineStr"><is><t [xml:space]>..</t></is></c>
INLINE = re.compile(
    r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>',
    re.S,
)
EMPTY_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: [^>]*)?/></is></c>')


def share_strings(path: Path) -> int:
    """Rewrite the workbook at path in place with a shared string table; returns the number
    of distinct texts. Text is moved as it was escaped, never unescaped or re-encoded."""
    index: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        position = index.setdefault(match.group(3), len(index))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{position}</v></c>'

    partial = path.with_name(path.name + ".shared")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        parts = {info.filename: source.read(info) for info in source.infolist()}
        if PART in parts:
            return 0
        for name, data in parts.items():
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                text = EMPTY_INLINE.sub(r"<c \1\2/>", data.decode("utf-8"))
                data = INLINE.sub(shared, text).encode("utf-8")
            elif name == "[Content_Types].xml":
                override = f'<Override PartName="/{PART}" ContentType="{CONTENT_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif name == "xl/_rels/workbook.xml.rels":
                relation = (
                    f'<Relationship Id="rIdSharedStrings" Type="{RELATION}"'
                    ' Target="sharedStrings.xml"/>'
                )
                data = data.replace(b"</Relationships>", relation.encode() + b"</Relationships>")
            target.writestr(name, data)
        items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in index)
        target.writestr(
            PART,
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}"'
            f' uniqueCount="{len(index)}">{items}</sst>',
        )
    os.replace(partial, path)
    return len(index)
