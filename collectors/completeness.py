"""Is a saved output whole? Pure tests that tell a truncated capture from a complete one.

A capture cut short (a session dropped mid-command, a copy stopped at a size limit, a
pager left half-way) still parses: the parsers read the records that are there and the
device would read ``ok`` with interfaces or configuration silently missing. These tests
look only at the text, per platform and command kind:

- **configuration**: IOS and EOS end ``show running-config`` with an unindented ``end``
  line; VRP and Comware end ``display current-configuration`` with ``return``; a Junos configuration
  has balanced braces (or, in ``display set`` form, a last line with balanced quotes).
  NX-OS prints no closing line, so only an unbalanced quote on the last line shows a cut.
  Text that names no device (no ``hostname``/``sysname``/``host-name``) is no
  configuration at all and is left to the parser.
- **record listings** (``show interfaces``, LLDP and CDP details): the output is split
  into records (one per interface or neighbour). The last record must hold every kind
  of line that all the earlier records of its kind hold, and its last line must not be
  a line cut in the middle of a word (a strict prefix of a line seen earlier).

JSON outputs need no test here: a cut JSON document does not load and is reported by
the parser. Every test errs on the side of "complete": a record with nothing to compare
with is taken as whole, so a real output is never called incomplete for its shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.platforms import PLATFORMS

__all__ = ["config_cut", "incomplete_reason", "listing_cut"]

#: Every configuration names its device (factory defaults too): text without it is no
#: configuration, cut or whole.
_NAMED = re.compile(r"^\s*(?:set\s+system\s+)?(?:hostname|sysname|host-name)\s", re.MULTILINE)

#: Platforms whose configuration ends with a fixed last line (``Platform.config_last_line``).
_CONFIG_LAST_LINE: dict[str, str] = {
    name: p.config_last_line for name, p in PLATFORMS.items() if p.config_last_line
}
#: Platforms whose configuration is a tree in braces (``Platform.config_in_braces``: Junos).
_CONFIG_IN_BRACES = frozenset(name for name, p in PLATFORMS.items() if p.config_in_braces)

#: How one record of a listing starts, per platform and command (``Platform.record_starts``;
#: detail forms only: a summary table of the same fact kind has no records to compare).
#: Group 1 names the interface (or is empty): records are compared with earlier records of
#: the same kind of interface only (a sub-interface shows fewer counters than a port).
_RECORD_START: dict[tuple[str, str], re.Pattern[str]] = {
    (name, command): re.compile(pattern)
    for name, p in PLATFORMS.items() for command, pattern in p.record_starts
}

_WORDS = re.compile(r"[A-Za-z][A-Za-z\-]*")
_NUMBER = re.compile(r"\d+")
#: Lines between or after records that belong to none (totals, per-port neighbour counts).
_NOT_RECORD = re.compile(r"^\s*(?:Total\b.*entries|\S+ has \d+ neighbou?rs?\b)", re.IGNORECASE)
_LABEL = re.compile(r"^\s*([^:]{1,40}):")


def incomplete_reason(platform: str, kind: str, command: str, text: str) -> str | None:
    """Why ``text``, the output of ``command`` (of fact ``kind``) on ``platform``, looks cut
    short, or None.

    >>> incomplete_reason("cisco_ios", "config", "show running-config", "hostname r1\\ninterface Gi0/1\\n descr")
    "the configuration does not end with 'end' (last line: ' descr')"
    >>> incomplete_reason("cisco_ios", "config", "show running-config", "hostname r1\\n!\\nend\\n") is None
    True
    """
    if kind == "config":
        return config_cut(platform, text)
    start = _RECORD_START.get((platform, command))
    if start is None or _looks_like_json(text):
        return None
    return listing_cut(start, text)


def config_cut(platform: str, text: str) -> str | None:
    """Why a configuration looks truncated, or None when it looks whole (see module doc)."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]  # indentation kept
    if not lines or not _NAMED.search(text):
        return None  # empty, or no configuration at all (a banner, an error): the parser says so
    last = lines[-1]
    expected = _CONFIG_LAST_LINE.get(platform)
    if expected is not None:
        # The closing word, unindented, is printed once, last; a prompt or a remnant may
        # follow it in a saved file, so it is looked for anywhere.
        if expected not in lines:
            return f"the configuration does not end with {expected!r} (last line: {_shown(last)})"
        return None
    if platform in _CONFIG_IN_BRACES:
        return _junos_cut(lines)
    if _open_quote(last):
        return f"the last line is cut inside a quoted string: {_shown(last)}"
    return None


def _junos_cut(lines: Sequence[str]) -> str | None:
    """A Junos configuration in braces must close every brace; ``display set`` lines are
    whole lines with balanced quotes."""
    depth = 0
    for line in lines:
        body = line.strip()
        if body.startswith(("#", "/*", "*")):
            continue  # comments (``## Last commit``, annotations) may hold anything
        body = _without_quoted(body)
        depth += body.count("{") - body.count("}")
    if depth > 0:
        return f"{depth} unclosed brace(s): the configuration stops at {_shown(lines[-1])}"
    if _open_quote(lines[-1]):
        return f"the last line is cut inside a quoted string: {_shown(lines[-1])}"
    return None


def listing_cut(start: re.Pattern[str], text: str) -> str | None:
    """Why a listing of records (interfaces, neighbours) looks cut short, or None.

    The last record must hold every line kind (its first words) that all earlier
    records of the same kind hold, and its last line must not be a strict prefix,
    ending inside a word, of a line seen earlier.
    """
    records = _records(start, text)
    if len(records) < 2:
        return None
    *earlier, (name, last) = records
    if not last:
        return None
    same = [lines for other, lines in earlier if _kind(other) == _kind(name)]
    endings = {_tail_kind(lines) for lines in same}
    # Only a shape the earlier records agree on is a rule: at least two of them, one ending.
    if len(same) >= 2 and len(endings) == 1 and "" not in endings:
        ending = endings.pop()
        if ending not in {_line_kind(line) for line in last}:
            label = f"the last record ({name})" if name else "the last record"
            return (f"{label} stops before the line that ends every earlier one ({ending!r}); "
                    f"it stops at {_shown(last[-1])}")
    tail = _shape(last[-1])
    seen = {_shape(line) for _, lines in earlier for line in lines}
    if tail not in seen and tail[-1:].isalnum():
        for shape in seen:
            if len(shape) > len(tail) and shape.startswith(tail) and shape[len(tail)].isalnum():
                return f"the last line is cut mid-word: {_shown(last[-1])}"
    return None


def _records(start: re.Pattern[str], text: str) -> list[tuple[str, list[str]]]:
    """The records of a listing: (name from the start line, its non-blank lines)."""
    records: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        match = start.match(line)
        if match:
            name = next((g for g in match.groups() if g), "")
            records.append((name, [line]))
        elif records and line.strip() and not _NOT_RECORD.match(line):
            records[-1][1].append(line)
    return records


def _kind(name: str) -> tuple[str, bool]:
    """What kind of interface a record is: its name's letters, and whether it is a sub-interface."""
    return re.sub(r"[\d/:.]+", "", name).lower(), "." in name or ":" in name


def _line_kind(line: str) -> str:
    """A line's kind: the words of its label (before a colon), else its last three words."""
    label = _LABEL.match(line)
    if label:
        return " ".join(_WORDS.findall(label.group(1))).lower()
    return " ".join(_WORDS.findall(line)[-3:]).lower()  # a value may lead ("Up 2 hours", "Down 5 hours")


def _tail_kind(lines: Sequence[str]) -> str:
    """The kind of a record's last line that has words (separators have none)."""
    return next((kind for kind in map(_line_kind, reversed(lines)) if kind), "")


def _shape(line: str) -> str:
    """A line with numbers blanked and spaces collapsed."""
    return " ".join(_NUMBER.sub("#", line).split())


def _looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def _without_quoted(line: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)


def _open_quote(line: str) -> bool:
    return _without_quoted(line).count('"') % 2 == 1


def _shown(line: str) -> str:
    return repr(line if len(line) <= 60 else line[:57] + "...")
