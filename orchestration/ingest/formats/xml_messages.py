"""Messages about a delivered XML file that never quote its content.

libxml2 quotes what it could not accept: the value that failed a facet, a tag or attribute
name, the text of an unfinished comment or CDATA section, the name of an undefined entity.
In a CIN census any of these may be a child's name or identifier, so messages are rebuilt
from the kind of error, its line and column, and the names and codes the XSD itself declares.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

from orchestration.ingest.model import FileRejected, Finding

XS_NAMESPACE = "http://www.w3.org/2001/XMLSchema"
ERROR_NAMES = {
    code: name
    for name, code in vars(etree.ErrorTypes).items()
    if name.isupper() and isinstance(code, int)
}
# What the commonest syntax errors mean for whoever re-exports the file.
SYNTAX_ERRORS = {
    "ERR_INTERNAL_ERROR": "it holds no XML element (empty or cut short)",
    "ERR_DOCUMENT_EMPTY": "it does not start with an XML element (is it a CSV file?)",
    "ERR_DOCUMENT_END": "there is content after the end of the root element",
    "ERR_TAG_NAME_MISMATCH": "an end tag does not match the element it closes",
    "ERR_TAG_NOT_FINISHED": "the file ends before its elements are closed (cut short?)",
    "ERR_INVALID_ENCODING": "invalid bytes in character encoding (not the encoding declared)",
    "ERR_UNSUPPORTED_ENCODING": "the XML declaration names an encoding that cannot be read",
    "ERR_INVALID_CHAR": "a character that XML does not allow",
    "ERR_UNDECLARED_ENTITY": "an undefined entity (a '&' that should be written '&amp;'?)",
    "WAR_UNDECLARED_ENTITY": "an undefined entity (a '&' that should be written '&amp;'?)",
    "ERR_NAME_REQUIRED": "a '&' or '<' that is not markup (write '&amp;' or '&lt;')",
    "ERR_LT_IN_ATTRIBUTE": "a '<' inside an attribute value",
    "ERR_ATTRIBUTE_WITHOUT_VALUE": "an attribute without a value",
    "ERR_ATTRIBUTE_REDEFINED": "an attribute given twice on one element",
    "ERR_GT_REQUIRED": "a start tag not closed by '>'",
    "ERR_HYPHEN_IN_COMMENT": "'--' inside a comment",
    "ERR_COMMENT_NOT_FINISHED": "a comment that is not closed",
    "ERR_CDATA_NOT_FINISHED": "a CDATA section that is not closed",
    "NS_ERR_UNDEFINED_NAMESPACE": "a namespace prefix that is not declared",
}
XSD_TYPES = {"xs:date": "xs:date (yyyy-mm-dd)", "xs:integer": "xs:integer (a whole number)"}


def not_well_formed(path: Path, error: etree.XMLSyntaxError, fix: str) -> FileRejected:
    """The file cannot be parsed: where, and what kind of error, in words of our own."""
    name = ERROR_NAMES.get(error.code, "")
    cause = SYNTAX_ERRORS.get(name) or (
        f"{name.removeprefix('ERR_').replace('_', ' ').lower() or 'a syntax error'}"
        f" (libxml2 error {error.code})"
    )
    line, column = error.position
    where = f" at line {line}, column {column}" if line else ""
    return FileRejected(f"{path.name} is not well-formed XML{where}: {cause}", fix)


@cache
def declared_names(xsd_dir: Path) -> frozenset[str]:
    """Element names some XSD in the folder declares: the only names a message may quote,
    since an undeclared tag is delivered content."""
    names: set[str] = set()
    for path in xsd_dir.glob("*.xsd"):
        names.update(
            etree.parse(str(path)).xpath("//xs:element/@name", namespaces={"xs": XS_NAMESPACE})
        )
    return frozenset(names)


def schema_findings(
    schema: etree.XMLSchema, element: etree._Element, declared: frozenset[str]
) -> list[Finding]:
    """One finding per XSD error in the element, naming the line, the element and what the
    XSD expects; the value itself is withheld."""
    if schema.validate(element):
        return []
    return [_finding(error, declared) for error in schema.error_log]


def _finding(error: etree._LogEntry, declared: frozenset[str]) -> Finding:
    steps = [re.sub(r"\[\d+\]$", "", step) for step in (error.path or "").split("/") if step]
    known = [step for step in steps if step in declared] or ["Child"]
    if steps and steps[-1] in declared:
        element, subject = steps[-1], f"Element '{steps[-1]}'"
    else:
        element, subject = known[-1], f"An element the XSD does not declare, in '{known[-1]}',"
    return Finding(error.line, element, "xsd", f"{subject} {_problem(error)}.")


def _after_last(message: str, marker: str) -> str | None:
    """What libxml2 writes after the delivered value: the last occurrence of the marker is
    its own, even if the value contains the same words, so the rest comes from the XSD."""
    found = re.match(rf".*{re.escape(marker)}(.*?)\.?$", message, re.DOTALL)
    return found.group(1) if found else None


def _problem(error: etree._LogEntry) -> str:
    message, kind = error.message, error.type_name
    facet = re.search(r"\[facet '(\w+)'\]", message)
    if kind == "SCHEMAV_CVC_ENUMERATION_VALID":
        codes = _after_last(message, " is not an element of the set ")
        return f"has a value (not shown) that is none of the XSD's codes {codes}"
    if kind == "SCHEMAV_CVC_PATTERN_VALID":
        pattern = _after_last(message, " is not accepted by the pattern ")
        return f"has a value (not shown) that does not match the XSD pattern {pattern}"
    if kind == "SCHEMAV_CVC_DATATYPE_VALID_1_2_1":
        type_name = (_after_last(message, " is not a valid value of the ") or "").split(" ")[-1]
        expected = type_name.strip("'")
        return f"has a value (not shown) that is not a valid {XSD_TYPES.get(expected, expected)}"
    if facet:
        return f"has a value (not shown) that fails the XSD '{facet.group(1)}' facet"
    expected = _after_last(message, "Expected is ")
    expected = expected and re.sub(r"\(\s*(.*?)\s*\)$", r"\1", expected)
    if kind == "SCHEMAV_ELEMENT_CONTENT" and "Missing child element" in message:
        return f"lacks a required element (expected {expected})"
    if kind == "SCHEMAV_ELEMENT_CONTENT":
        return "is not expected here" + (f" (expected {expected})" if expected else "")
    if kind.startswith("SCHEMAV_CVC_COMPLEX_TYPE_3_2"):
        return "has an attribute the XSD does not allow"
    if kind == "SCHEMAV_CVC_COMPLEX_TYPE_2_3":
        return "holds text where the XSD allows only elements"
    return f"breaks the XSD ({kind})"
