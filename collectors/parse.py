"""Raw outputs -> normalised facts: a pure function that never raises.

For each command of the device's platform that has an output (a Junos text answer first
loses the context lines the CLI prints around it, ``{master:0}``):

1. empty output -> ``CommandProblem(reason="empty")`` (unless empty is a normal
   answer for that command, e.g. IOS CDP with no neighbour);
2. the running configuration is redacted (:func:`collectors.redact.redact_config`)
   before anything else looks at it, the error test included (it quotes what it finds);
3. a platform error marker in the first lines -> ``"device_error"`` (devices
   answer errors as ordinary text);
4. TextFSM (ntc-templates, or ``collectors/templates/`` for ``own:`` entries),
   JSON, or the raw text, depending on the command's template;
5. the platform's reader turns that into a fragment of facts with normalised names.

A TextFSM error, a reader error (including a JSON shape the reader does not know),
or no records from output that is not an empty table -> ``"parse_error"``. Commands
come in alternative groups (a JSON command, the text command and weaker forms such as
summary and brief tables standing in for it, see :mod:`core.platforms`): each
group gives the fragment of its first member that reads; a rejected or non-JSON answer
of the preferred member is then no problem, broken JSON still is.

Every interface and neighbour is stamped with the command it came from (``sources``,
``source``). Fragments merge in command order, strongest evidence first, the running
configuration last: the first value of a device or interface field wins, so a weaker
form only fills in what the stronger left unknown (:func:`merge_interfaces`);
neighbours reported by both LLDP and CDP are kept once (:func:`merge_neighbours`).
Then, whatever the vendor, :func:`collectors.normalise.canonical_interfaces` gives each
interface its canonical VRF (``None`` for the global table) and its role (data,
management, internal); napalm getter results go through the same function.

Status: ``"ok"`` (no problem), ``"partial"`` (some), ``"parse_failed"`` (no
command gave anything), or the collector's own status when it already failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import textfsm

from collectors.base import RawOutputs
from collectors.completeness import incomplete_reason
from collectors.facts import CommandProblem, DeviceFacts, DeviceInfo, Interface, Neighbour
from collectors.napalm_facts import facts_from_napalm, is_napalm
from collectors.normalise import canonical_interfaces, device_name, without_context_lines, without_known_unmasked
from collectors.parsers import PARSERS
from collectors.parsers.base import CommandParser, Fragment, ParseError
from collectors.parsers.structured import holds_json, load_json_output
from collectors.parsers.templates import TemplateNotFound, parse_text
from collectors.redact import redact_config
from core.platforms import JSON_TEMPLATE, PLATFORMS, Command, Platform

__all__ = ["merge_interfaces", "merge_neighbours", "parse_outputs"]

#: Device errors come back at the top of the output; deeper down, the same words
#: may be ordinary text (a login banner in a configuration).
_ERROR_SCAN_LINES = 5
_MESSAGE_LIMIT = 160

_COLLECTOR_OK = ("ok", "partial")

def parse_outputs(raw: RawOutputs) -> DeviceFacts:
    """Parse one device's raw outputs into :class:`DeviceFacts`; never raises.

    An unknown platform gives status ``"error"``; every per-command failure is a
    :class:`CommandProblem` naming the command.
    """
    try:
        return _parse(raw)
    except Exception as exc:  # last line of defence: one device never stops a survey
        return DeviceFacts(
            device=raw.device,
            platform=raw.platform,
            status="error",
            problems=tuple(raw.problems),
            error=_short(f"internal parser error: {type(exc).__name__}: {exc}"),
        )


def _parse(raw: RawOutputs) -> DeviceFacts:
    if is_napalm(raw):  # napalm getters give structured facts: no text to parse
        return facts_from_napalm(raw)
    platform = PLATFORMS.get(raw.platform)
    if platform is None:
        known = ", ".join(sorted(PLATFORMS))
        error = f"unknown platform {raw.platform!r} (known: {known})"
        if raw.error:
            error = f"{raw.error}; {error}"
        return DeviceFacts(raw.device, raw.platform, status="error",
                           problems=tuple(raw.problems), error=error)

    readers = PARSERS.get(platform.name, {})
    problems: list[CommandProblem] = list(raw.problems)
    fragments: list[Fragment] = []
    config: str | None = None
    answered = 0
    read: list[str] = []
    for group in platform.groups:  # a JSON command and its text fallback, or one command
        chosen, group_problems = _read_group(platform, group, readers, raw.outputs)
        problems.extend(group_problems)
        if chosen is None:
            continue
        cmd, text, outcome = chosen
        answered += 1
        read.append(cmd.command)
        if cmd.kind == "config":
            config = text if config is None else f"{config}\n{text}"
        if outcome is not None:
            fragments.append(_stamped(outcome, cmd.command))

    if raw.status not in _COLLECTOR_OK:
        status = raw.status
    elif answered == 0:
        status = "parse_failed"
    elif problems:
        status = "partial"
    else:
        status = "ok"

    info: dict[str, str] = {}
    for fragment in fragments:
        for key, value in fragment.info.items():
            if value and key not in info:
                info[key] = value
    return DeviceFacts(
        device=raw.device,
        platform=raw.platform,
        status=status,
        info=DeviceInfo(
            hostname=info.get("hostname"),
            vendor=info.get("vendor") or platform.vendor,
            model=info.get("model"),
            os_version=info.get("os_version"),
            serial=info.get("serial"),
            uptime=info.get("uptime"),
        ),
        # Merged on the labels as read (an operational "default" is a stated VRF that a
        # configuration read later must not replace), then made vendor-neutral.
        interfaces=canonical_interfaces(platform.name, merge_interfaces(i for f in fragments for i in f.interfaces)),
        neighbours=merge_neighbours(n for f in fragments for n in f.neighbours),
        config=config,
        problems=tuple(problems),
        error=raw.error,
        read=tuple(read),
    )


def _read_group(
    platform: Platform, group: tuple[Command, ...], readers: dict[str, CommandParser], outputs: dict[str, str]
) -> tuple[tuple[Command, str, Fragment | None] | None, list[CommandProblem]]:
    """The first member of an alternative group whose output reads (with its text, redacted
    for a configuration), and the problems worth reporting.

    When a member reads, the failures of the members tried before it are dropped if
    :func:`_superseded` (older software rejecting ``| json``); otherwise all are kept.
    """
    tried: list[tuple[Command, str, CommandProblem]] = []
    for cmd in group:
        text = outputs.get(cmd.command)
        if text is None:
            continue
        if cmd.kind != "config" and cmd.template != JSON_TEMPLATE:
            # The lines the CLI prints around an answer (Junos {master:0}), before the empty
            # check: "{master:0}" alone is empty. JSON answers tolerate them already
            # (load_json_output); configuration readers skip them themselves.
            text = without_context_lines(platform.name, text)
        # Redacted before anything reads it, the device-error test too: that test quotes the
        # line it matched, and a secret may hold a marker ("enable password x% Invalid input").
        if cmd.kind == "config" and text.strip():
            try:
                text = redact_config(platform.name, text)
            except Exception as exc:  # never keep an unredacted configuration
                tried.append((cmd, "", CommandProblem(cmd.command, "parse_error",
                                                      _short(f"redaction failed: {exc}"))))
                continue
        outcome = _read_command(platform, cmd, readers.get(cmd.command), text)
        # A cut-short output gives what it holds and says it is incomplete; one that does
        # not read because it is cut says that, the root cause.
        cut = incomplete_reason(platform.name, cmd.kind, cmd.command, text) if text.strip() else None
        if isinstance(outcome, CommandProblem):
            if cut and outcome.reason == "parse_error":
                outcome = CommandProblem(cmd.command, "incomplete", _short(f"{cut}; {outcome.message}"))
            tried.append((cmd, text, outcome))
            continue
        kept = [p for c, t, p in tried if not _superseded(c, t, p)]
        return (cmd, text, outcome), kept + ([CommandProblem(cmd.command, "incomplete", _short(cut))] if cut else [])
    return None, [p for _, _, p in tried]


def _read_command(
    platform: Platform, cmd: Command, reader: CommandParser | None, text: str
) -> Fragment | CommandProblem | None:
    """One command's fragment, ``None`` for a valid answer with nothing in it, or its problem."""
    if not text.strip():
        if reader is not None and reader.empty_output_ok:
            return None
        return CommandProblem(cmd.command, "empty", "the output is empty")
    error_line = _device_error(text, platform)
    if error_line is not None:
        return CommandProblem(cmd.command, "device_error", _short(error_line))
    if reader is None:
        if cmd.template is None:  # raw text nobody needs to read (a config without a reader)
            return None
        return CommandProblem(cmd.command, "parse_error", f"no parser for {platform.name} {cmd.command!r}")

    data: object
    if cmd.template is None:
        data = text
    elif cmd.template == JSON_TEMPLATE:
        try:
            data = load_json_output(text)  # tolerates an echoed command, a prompt, Junos {master:0}
        except ParseError as exc:
            return CommandProblem(cmd.command, "parse_error", _short(str(exc)))
    else:
        try:
            data = parse_text(platform.ntc_platform, cmd.template, text)
        except TemplateNotFound as exc:
            return CommandProblem(cmd.command, "parse_error", _short(str(exc)))
        except textfsm.TextFSMError as exc:
            return CommandProblem(cmd.command, "parse_error", _short(f"TextFSM: {exc}"))
        if not data:
            if reader.empty_table is not None and reader.empty_table.search(text):
                return None
            return CommandProblem(cmd.command, "parse_error", "no records recognised in the output")
    try:
        return reader.read(data)
    except ParseError as exc:
        return CommandProblem(cmd.command, "parse_error", _short(str(exc)))
    except Exception as exc:  # a reader meeting a shape it did not expect
        return CommandProblem(cmd.command, "parse_error", _short(f"{type(exc).__name__}: {exc}"))


def _superseded(cmd: Command, text: str, problem: CommandProblem) -> bool:
    """Whether a failed preferred command is expected, now that a fallback answered:
    the device rejected it or answered without JSON (older software). A JSON
    document that does not read is not: it is reported even then."""
    return problem.reason == "device_error" or (cmd.template == JSON_TEMPLATE and not holds_json(text))


def _device_error(text: str, platform: Platform) -> str | None:
    """The line carrying one of the platform's error markers near the top, if any."""
    seen = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        if any(marker in line for marker in platform.error_markers):
            return line.strip()
        seen += 1
        if seen >= _ERROR_SCAN_LINES:
            break
    return None


def _short(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MESSAGE_LIMIT else message[: _MESSAGE_LIMIT - 3] + "..."


def _stamped(fragment: Fragment, command: str) -> Fragment:
    """The fragment with its evidence named: ``command`` as the source of each interface
    and neighbour that does not name one already (a reader may say ``"config"``)."""
    return Fragment(
        info=fragment.info,
        interfaces=[itf if itf.sources else replace(itf, sources=(command,)) for itf in fragment.interfaces],
        neighbours=[n if n.source else replace(n, source=command) for n in fragment.neighbours],
    )


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return first + tuple(x for x in second if x not in first)


def merge_interfaces(interfaces: Iterable[Interface]) -> tuple[Interface, ...]:
    """One interface per name, from reports given strongest first (command-table order).

    The first known value of each field wins (a weaker form never overrides a stronger
    one, it only fills in what the stronger left unknown, such as a VRF from the
    configuration); addresses, shared addresses and sources are united in order; the
    role is that of the strongest report that said other than ``data``; an unmasked
    address whose IP is already among the addresses is dropped.
    """
    merged: dict[str, Interface] = {}
    for itf in interfaces:
        old = merged.get(itf.name)
        if old is None:
            merged[itf.name] = itf
            continue
        merged[itf.name] = Interface(
            name=old.name,
            description=old.description or itf.description,
            admin_up=old.admin_up if old.admin_up is not None else itf.admin_up,
            oper_up=old.oper_up if old.oper_up is not None else itf.oper_up,
            speed_mbps=old.speed_mbps if old.speed_mbps is not None else itf.speed_mbps,
            addresses=_union(old.addresses, itf.addresses),
            vrf=old.vrf or itf.vrf,
            in_bps=old.in_bps if old.in_bps is not None else itf.in_bps,
            out_bps=old.out_bps if old.out_bps is not None else itf.out_bps,
            role=old.role if old.role != "data" else itf.role,
            shared_addresses=_union(old.shared_addresses, itf.shared_addresses),
            unmasked_addresses=_union(old.unmasked_addresses, itf.unmasked_addresses),
            sources=_union(old.sources, itf.sources),
            snmp_index=old.snmp_index if old.snmp_index is not None else itf.snmp_index,
        )
    return tuple(without_known_unmasked(itf) for itf in merged.values())


def merge_neighbours(neighbours: Iterable[Neighbour]) -> tuple[Neighbour, ...]:
    """Neighbours without duplicates of ``(local_port, device_name(remote_name), remote_port)``.

    When LLDP and CDP both report a neighbour, the LLDP entry is kept (it is the
    standard protocol, and what non-Cisco ends report too) and a management
    address only CDP carried is copied onto it. The order of first report is kept.
    """
    kept: dict[tuple[str, str, str], Neighbour] = {}
    for item in neighbours:
        key = (item.local_port, device_name(item.remote_name), item.remote_port)
        old = kept.get(key)
        if old is None:
            kept[key] = item
            continue
        winner, loser = (item, old) if old.protocol == "cdp" and item.protocol == "lldp" else (old, item)
        if winner.remote_address is None and loser.remote_address is not None:
            winner = replace(winner, remote_address=loser.remote_address)
        kept[key] = winner
    return tuple(kept.values())
