"""Juniper Junos configurations (``show configuration``), hierarchical (``{ }``) or
``| display set``.

Both forms become the same statements, paths of words (``interfaces ge-0/0/0 unit 0
family inet address 10.1.1.1/30``); inactive statements (``inactive:``, ``deactivate``)
are not in force and are left out. Read:

* hostname: ``system host-name``, else the ``host-name`` of an applied group (``re0``);
  a configuration that parses and holds Junos hierarchies but no host-name and no
  interface (a factory default) is valid and empty; text that does not parse as Junos
  (unbalanced braces, a statement without ``;``) is a :class:`ParseError`;
* ``interfaces``: the physical interface (``ge-0/0/0``: ``description``, ``disable``)
  and its units as ``ge-0/0/0.0``, the names the operational readers give
  (``description``, ``disable``, ``family inet address A/LEN``, the ``primary`` one
  first). A unit of a disabled port is administratively down too;
* VRF membership: ``routing-instances X interface ge-0/0/1.0`` of the layer-3
  instance types (``vrf``, ``virtual-router``, no type); ``system management-instance``
  puts the management ports in ``mgmt_junos``;
* shared addresses: ``vrrp-group N virtual-address X`` and ``virtual-gateway-address X``
  under an address, and the addresses of an ``irb`` unit with a static ``mac`` and no
  virtual gateway (the EVPN anycast gateway: the same address and MAC on every leaf).

Not expanded: ``interface-range`` members, what ``groups`` give interfaces through
``apply-groups`` (only a group's ``host-name`` is read), and ``logical-systems``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import product

from collectors.parsers.base import Fragment, ParseError, ipv4_interface
from collectors.parsers.config.common import InterfaceDraft, unique_interfaces

Path = tuple[str, ...]

_TOKEN = re.compile(
    r'(?P<space>\s+)|(?P<comment>/\*.*?\*/|#[^\n]*)|"(?P<quoted>(?:\\.|[^"\\])*)"'
    r"|(?P<punct>[{};\[\]])|(?P<word>[^\s{};\[\]\"]+)",
    re.DOTALL,
)
#: Lines an operational capture adds around the configuration: the prompt line and the
#: command echo, ``{master:0}`` (a routing engine or cluster node), ``[edit]``.
_NOISE_LINE = re.compile(
    r"^\s*(?:\{(?:master|backup|primary|secondary|linecard|hold)(?::[\w-]+)?\}|\[edit[^\]]*\]|\S+@\S+[>#%].*)\s*$",
    re.MULTILINE,
)
_ANNOTATIONS = frozenset({"protect:", "replace:", "active:"})
#: Routing-instance types whose interfaces route in their own table (layer-2 types do not).
_L3_INSTANCE_TYPES = frozenset({"vrf", "virtual-router", ""})
_MANAGEMENT_INSTANCE = "mgmt_junos"
#: Top-level Junos hierarchies: a configuration that parses and holds one of them is a Junos
#: configuration even with no host-name and no interface (a factory default sets neither).
_TOP_LEVEL = frozenset({
    "version", "system", "interfaces", "chassis", "services", "security", "protocols", "routing-options",
    "routing-instances", "policy-options", "firewall", "snmp", "groups", "apply-groups", "vlans",
    "class-of-service", "forwarding-options", "event-options", "poe", "ethernet-switching-options",
    "virtual-chassis", "access", "applications", "bridge-domains", "logical-systems", "switch-options",
})
_MANAGEMENT_PORTS = re.compile(r"^(?:fxp\d+|em\d+|me\d+|vme)(?:\.\d+)?$")


@dataclass(frozen=True, slots=True)
class Statement:
    path: Path
    line: int


def read_junos(text: str) -> Fragment:
    """``show configuration`` (either form): hostname and interfaces."""
    statements = list(statements_of(text))
    hostname = _hostname(statements)
    interfaces = unique_interfaces(d.done("juniper_junos") for d in _interfaces(statements))
    if not (hostname or interfaces or any(s.path[0] in _TOP_LEVEL for s in statements if s.path)):
        raise ParseError("no host-name, no interface and no Junos hierarchy (system, interfaces...): "
                         "not a Junos configuration")
    return Fragment(info={"hostname": hostname} if hostname else {}, interfaces=interfaces)


def statements_of(text: str) -> Iterator[Statement]:
    """The statements in force of a configuration in either form.

    >>> [s.path for s in statements_of("system { host-name r1; }")]
    [('system',), ('system', 'host-name', 'r1')]
    >>> [s.path for s in statements_of("set system host-name r1\\ndeactivate system")]
    []
    """
    text = _NOISE_LINE.sub("", text)
    first = next((line.strip() for line in text.splitlines()
                  if line.strip() and not line.strip().startswith(("#", "/*"))), "")
    if first.startswith(("set ", "deactivate ", "delete ", "activate ")):
        return _set_statements(text)
    return _hierarchical_statements(text)


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, value, line)``: ``word`` (quoted strings unquoted) or ``punct``."""
    pos, line = 0, 1
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ParseError(f"line {line}: unexpected {text[pos]!r} (an unterminated quote?): "
                             "not a Junos configuration")
        kind = match.lastgroup or ""
        if kind == "quoted":
            yield "word", re.sub(r"\\(.)", r"\1", match["quoted"]), line
        elif kind in ("punct", "word"):
            yield kind, match[kind], line
        line += match.group(0).count("\n")
        pos = match.end()


def _expand(words: list[str | tuple[str, ...]]) -> Iterator[Path]:
    """One path per member of each ``[ a b ]`` list in a statement, the first list varying
    fastest. Not recursive: a hostile statement may hold thousands of words."""
    choices = [word if isinstance(word, tuple) else (word,) for word in reversed(words)]
    for combination in product(*choices):
        yield combination[::-1]


def _hierarchical_statements(text: str) -> Iterator[Statement]:
    stack: list[tuple[Path, bool]] = []  # the enclosing blocks: path, inactive
    words: list[str | tuple[str, ...]] = []
    items: list[str] | None = None  # inside [ ... ]
    start = 0
    for kind, value, line in _tokens(text):
        if items is not None:
            if value == "]":
                words.append(tuple(items))
                items = None
            elif kind == "word":
                items.append(value)
            else:
                raise ParseError(f"line {line}: {value!r} inside [ ]: not a Junos configuration")
            continue
        if kind == "word":
            if not words:
                start = line
            words.append(value)
        elif value == "[":
            items = []
        elif value in ("{", ";"):
            if not words:
                if value == "{":
                    raise ParseError(f"line {line}: a block without a name: not a Junos configuration")
                continue
            prefix, inactive = stack[-1] if stack else ((), False)
            if words[0] == "inactive:":
                inactive, words = True, words[1:]
            words = [w for w in words if w not in _ANNOTATIONS]
            paths = [prefix + path for path in _expand(words)]
            if not inactive:
                yield from (Statement(path, start) for path in paths)
            if value == "{":
                stack.append((paths[0], inactive))
            words = []
        elif value == "}":
            if words:
                raise ParseError(f"line {start}: statement not ended by ';': not a Junos configuration")
            if not stack:
                raise ParseError(f"line {line}: '}}' closes no block: not a Junos configuration")
            stack.pop()
        else:
            raise ParseError(f"line {line}: unexpected {value!r}: not a Junos configuration")
    if words or items is not None:
        raise ParseError(f"line {start}: statement not ended by ';' or '{{': not a Junos configuration")
    if stack:
        raise ParseError(f"the configuration ends inside the block {' '.join(stack[-1][0])!r} (truncated?)")


def _set_statements(text: str) -> Iterator[Statement]:
    kept: list[Statement] = []
    inactive: list[Path] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = [value for kind, value, _ in _tokens(line) if kind == "word"]
        if not words:
            continue
        verb, path = words[0], tuple(words[1:])
        if verb == "set":
            kept.append(Statement(path, number))
        elif verb == "deactivate":
            inactive.append(path)
        elif verb == "activate":
            inactive = [p for p in inactive if p != path]
    for statement in kept:
        if not any(statement.path[: len(p)] == p for p in inactive):
            yield statement


def _hostname(statements: list[Statement]) -> str:
    applied = [s.path[1] for s in statements if len(s.path) == 2 and s.path[0] == "apply-groups"]
    names: dict[str, str] = {}
    for s in statements:
        path = s.path
        if path[:2] == ("system", "host-name") and len(path) == 3:
            return path[2]
        if len(path) == 5 and path[0] == "groups" and path[2:4] == ("system", "host-name"):
            names.setdefault(path[1], path[4])
    return next((names[g] for g in applied if g in names), "")


def _is_port_name(name: str) -> bool:
    """A name under ``interfaces`` that is a port, not a range, wildcard or option."""
    return not any(c in name for c in "*<>") and name not in (
        "interface-range", "traceoptions", "apply-groups", "apply-groups-except", "interface-set")


def _interfaces(statements: list[Statement]) -> list[InterfaceDraft]:
    ports: dict[str, InterfaceDraft] = {}
    units: dict[str, dict[str, InterfaceDraft]] = {}  # port name -> unit name -> draft
    primary: dict[str, str] = {}
    static_mac: set[str] = set()
    gateway: set[str] = set()
    for path in (s.path for s in statements if s.path[:1] == ("interfaces",)):
        if len(path) < 2 or not _is_port_name(path[1]):
            continue
        port_name, rest = path[1], path[2:]
        port = ports.setdefault(port_name, InterfaceDraft(port_name))
        if rest[:1] != ("unit",):
            _settings(port, rest)
            continue
        if len(rest) < 2:
            continue
        unit_name = f"{port_name}.{rest[1]}"
        unit = units.setdefault(port_name, {}).setdefault(unit_name, InterfaceDraft(unit_name))
        rest = rest[2:]
        _settings(unit, rest)
        if rest[:1] == ("mac",):
            static_mac.add(unit_name)
        if rest[:3] != ("family", "inet", "address") or len(rest) < 4:
            continue
        address, more = rest[3], rest[4:]
        unit.add_address(_prefix(address))
        if more == ("primary",):
            primary[unit_name] = address
        elif len(more) >= 4 and more[0] == "vrrp-group" and more[2] == "virtual-address":
            unit.add_shared(*_split(more[3]))
        elif len(more) >= 2 and more[0] == "virtual-gateway-address":
            unit.add_shared(*_split(more[1]))
            gateway.add(unit_name)

    vrfs, management = _instance_interfaces(statements)

    def vrf(name: str) -> str | None:
        if management and _MANAGEMENT_PORTS.match(name):
            return _MANAGEMENT_INSTANCE
        return vrfs.get(name)

    drafts: list[InterfaceDraft] = []
    for port_name, port in ports.items():
        drafts.append(port)
        port.vrf = vrf(port_name)
        for unit_name, unit in units.get(port_name, {}).items():
            unit.admin_up = unit.admin_up and port.admin_up
            unit.vrf = vrf(unit_name)
            if unit_name in primary and (first := _prefix(primary[unit_name])) in unit.primary:
                unit.primary.remove(first)
                unit.primary.insert(0, first)
            if port_name == "irb" and unit_name in static_mac and unit_name not in gateway:
                unit.all_shared = True
            drafts.append(unit)
    return drafts


def _settings(draft: InterfaceDraft, rest: Path) -> None:
    """``description`` and ``disable`` of a port or unit."""
    if rest[:1] == ("description",) and len(rest) == 2:
        draft.description = rest[1].strip()
    elif rest == ("disable",):
        draft.admin_up = False


def _prefix(address: str) -> str | None:
    """``a.b.c.d/len``; a Junos address given without a length is a host address."""
    return ipv4_interface(address) if "/" in address else ipv4_interface(address, "32")


def _split(address: str) -> tuple[str, str | None]:
    ip, _, length = address.partition("/")
    return ip, length or None


def _instance_interfaces(statements: Iterable[Statement]) -> tuple[dict[str, str], bool]:
    """Interface (unit) name -> routing instance, for the layer-3 instances; whether
    ``system management-instance`` is set."""
    types: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    management = False
    for path in (s.path for s in statements):
        if path == ("system", "management-instance"):
            management = True
        if path[:1] != ("routing-instances",) or len(path) != 4:
            continue
        if path[2] == "instance-type":
            types[path[1]] = path[3]
        elif path[2] == "interface":
            members.setdefault(path[1], []).append(path[3] if "." in path[3] else f"{path[3]}.0")
    found: dict[str, str] = {}
    for instance, names in members.items():
        if types.get(instance, "") in _L3_INSTANCE_TYPES:
            for name in names:
                found.setdefault(name, instance)
    return found, management
