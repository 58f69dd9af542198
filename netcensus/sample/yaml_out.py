"""A small, fast YAML writer for the inventory's shapes.

PyYAML's representer is pure Python and takes seconds for a 10,000-device inventory;
the inventory only holds mappings of scalars, lists of scalars, small mappings
(circuit ends) and one mapping of lists (the address plan), so this writer emits
them directly: block style for entries, flow style for short lists and circuit ends.

Strings are written plain when YAML would read them back as the same string, else
double-quoted with JSON escapes (which YAML accepts). ISO dates are written plain, so
YAML reads them as dates. The tests load every generated file back with PyYAML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

# Plain only when it starts with a letter (or CJK) and holds nothing YAML treats specially.
_PLAIN = re.compile(r"^[A-Za-z\u3400-\u9fff][^:#,\[\]{}&*!|>'\"%@`?\n\r\t]*(?<! )$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(value: Any) -> str:
    """One scalar as YAML text.

    >>> scalar("edu-lan"), scalar("10.0.0.0/20"), scalar("2024-03-18"), scalar("yes"), scalar(1.5)
    ('edu-lan', '"10.0.0.0/20"', '2024-03-18', '"yes"', '1.5')
    """
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _DATE.match(text):
        return text
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(values: Sequence[Any]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def _flow_map(values: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in values.items()) + "}"


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list, tuple))


def _mapping(item: Mapping[str, Any], indent: str, first: str) -> list[str]:
    """A mapping in block style; the first line starts with ``first`` (``- `` for list entries)."""
    lines = []
    lead = first
    for name, value in item.items():
        key = scalar(name)  # keys too: a department called "no" must stay text
        if isinstance(value, Mapping) and value and all(_is_scalar(v) for v in value.values()):
            lines.append(f"{lead}{key}: {_flow_map(value)}")
        elif isinstance(value, Mapping):
            lines.append(f"{lead}{key}:" if value else f"{lead}{key}: {{}}")
            lines += _mapping(value, indent + "  ", indent + "  ")
        elif isinstance(value, (list, tuple)) and len(value) <= 8:
            lines.append(f"{lead}{key}: {_flow(value)}")
        elif isinstance(value, (list, tuple)):
            lines.append(f"{lead}{key}:")
            lines += [f"{indent}- {scalar(v)}" for v in value]
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
        lead = indent
    return lines


def dump_section(section: str, data: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> str:
    """A whole file: ``section:`` followed by its list of entries (or its mapping)."""
    lines = [f"{section}:"]
    if isinstance(data, Mapping):
        lines += _mapping(data, "  ", "  ")
    else:
        for item in data:
            lines += _mapping(item, "    ", "  - ")
    return "\n".join(lines) + "\n"
