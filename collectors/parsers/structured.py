"""Reading structured (JSON) command output, and the vendors' JSON quirks.

Three small helpers the JSON readers share:

- :func:`load_json_output`: the JSON document of a saved output, tolerating what a
  terminal adds around it (the echoed command above, a Junos ``{master:0}`` line or
  the prompt below), and telling "no JSON here" (:class:`NoJSONDocument`: an error
  message or a text answer) from "broken JSON" (:class:`ParseError`);
- :func:`nxos_rows`: NX-OS ``TABLE_x``/``ROW_x`` tables, which hold a list of rows,
  a single row as a plain object, or a list of one-row tables;
- :func:`junos_value` / :func:`junos_items`: Junos JSON, which wraps every element
  in a list and every leaf value in ``{"data": ...}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from collectors.parsers.base import ParseError

__all__ = ["NoJSONDocument", "holds_json", "json_object", "junos_items", "junos_value", "load_json_output",
           "nxos_rows", "readable_json"]


class NoJSONDocument(ParseError):
    """The output holds no JSON document at all: the device answered in text."""


#: Lines a terminal leaves after a JSON answer: Junos context lines and a prompt.
_TRAILER_LINE = re.compile(r"^\s*(?:\{[\w:. -]+\}|\[edit[^\]]*\]|\S+[#>$%]\s*)?\s*$")
#: How far down the first line of the document may start (an echoed command, a banner).
_MAX_LEADING_LINES = 5


def _document_start(text: str) -> int | None:
    """Offset of the line starting the JSON document, if one of the first lines does."""
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        if number >= _MAX_LEADING_LINES:
            return None
        if line.lstrip()[:1] in ("{", "[") and not _TRAILER_LINE.match(line):
            return offset + len(line) - len(line.lstrip())
        offset += len(line)
    return None


def holds_json(text: str) -> bool:
    """Whether the output starts a JSON document (valid or not).

    >>> holds_json('switch#show version | json\\n{"version": "4.2"}'), holds_json("% Invalid input")
    (True, False)
    >>> holds_json("{master:0}\\n")
    False
    """
    return _document_start(text) is not None


def load_json_output(text: str) -> Any:
    """The JSON document of a command output.

    Raises :class:`NoJSONDocument` when no JSON document starts near the top, and
    :class:`ParseError` when one starts but does not decode, or is followed by
    anything but the lines a terminal adds (Junos context, a prompt).

    >>> load_json_output('{"hostname": "leaf1"}\\n\\n{master:0}\\n')
    {'hostname': 'leaf1'}
    >>> load_json_output('{"hostname": "lea')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    collectors.parsers.base.ParseError: not valid JSON: Unterminated string...
    """
    start = _document_start(text)
    if start is None:
        raise NoJSONDocument("no JSON document in the output (the device answered in text)")
    try:
        document, end = json.JSONDecoder().raw_decode(text, start)
    except ValueError as exc:
        raise ParseError(f"not valid JSON: {exc}") from None
    except RecursionError:  # a hostile document, brackets nested thousands deep
        raise ParseError("not readable JSON: nested too deeply") from None
    for line in text[end:].splitlines():
        if not _TRAILER_LINE.match(line):
            raise ParseError(f"unexpected text after the JSON document: {line.strip()[:60]!r}")
    return document


def readable_json(text: str) -> bool:
    """Whether :func:`load_json_output` reads the output (a live collector's test of an answer).

    >>> readable_json('{"version": "4.27.3F"}\\nleaf1#'), readable_json('{"version": "4.2'), readable_json("")
    (True, False, False)
    """
    try:
        load_json_output(text)
    except ParseError:
        return False
    return True


def json_object(doc: Any, what: str) -> Mapping[str, Any]:
    """The document, when it is a JSON object; else a :class:`ParseError` saying it should hold ``what``.

    >>> json_object(["leaf1"], "hostname")
    Traceback (most recent call last):
    ...
    collectors.parsers.base.ParseError: expected a JSON object with hostname, got list
    """
    if not isinstance(doc, Mapping):
        raise ParseError(f"expected a JSON object with {what}, got {type(doc).__name__}")
    return doc


def nxos_rows(body: Any, table: str, row: str) -> list[dict[str, Any]]:
    """The rows of an NX-OS ``TABLE_<x>``/``ROW_<x>`` table, always as a list.

    NX-OS sends a table of several rows as ``{"ROW_x": [...]}``, a table of one row
    as ``{"ROW_x": {...}}`` (no list), and some tables as a list of one-row tables;
    a missing table is no rows.

    >>> nxos_rows({"TABLE_intf": {"ROW_intf": {"intf-name": "Vlan10"}}}, "TABLE_intf", "ROW_intf")
    [{'intf-name': 'Vlan10'}]
    >>> nxos_rows({"TABLE_intf": [{"ROW_intf": {"intf-name": "Lo0"}}, {"ROW_intf": {"intf-name": "Eth1/1"}}]},
    ...           "TABLE_intf", "ROW_intf")
    [{'intf-name': 'Lo0'}, {'intf-name': 'Eth1/1'}]
    >>> nxos_rows({}, "TABLE_intf", "ROW_intf")
    []
    """
    if not isinstance(body, Mapping):
        raise ParseError(f"expected a JSON object holding {table}, got {type(body).__name__}")
    found = body.get(table)
    tables = found if isinstance(found, list) else [found] if found is not None else []
    rows: list[dict[str, Any]] = []
    for one in tables:
        if not isinstance(one, Mapping):
            raise ParseError(f"{table} holds {type(one).__name__}, not an object")
        value = one.get(row)
        for item in value if isinstance(value, list) else [value] if value is not None else []:
            if not isinstance(item, Mapping):
                raise ParseError(f"{row} holds {type(item).__name__}, not an object")
            rows.append(dict(item))
    return rows


def junos_items(node: Any, key: str) -> Iterator[Mapping[str, Any]]:
    """The elements called ``key`` under a Junos JSON object (Junos wraps each in a list).

    >>> [junos_value(i, "name") for i in junos_items(
    ...     {"physical-interface": [{"name": [{"data": "ge-0/0/0"}]}, {"name": [{"data": "ae0"}]}]},
    ...     "physical-interface")]
    ['ge-0/0/0', 'ae0']
    """
    if not isinstance(node, Mapping):
        return
    value = node.get(key)
    for item in value if isinstance(value, list) else [value] if value is not None else []:
        if isinstance(item, Mapping):
            yield item


def junos_value(node: Any, key: str) -> str:
    """The text of a Junos JSON leaf, ``[{"data": "..."}]``, stripped; ``""`` when absent.

    A flag element (``[{"data": [null]}]``) reads as ``""``; test flags with ``key in node``.

    >>> junos_value({"host-name": [{"data": " edge-1 "}]}, "host-name")
    'edge-1'
    >>> junos_value({"admin-status": [{"data": "up", "attributes": {"junos:format": "Enabled"}}]}, "admin-status")
    'up'
    >>> junos_value({"iff-up": [{"data": [None]}]}, "iff-up"), junos_value({}, "speed")
    ('', '')
    """
    for item in junos_items(node, key):
        data = item.get("data")
        if isinstance(data, str):
            return data.strip()
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return str(data)
    return ""
