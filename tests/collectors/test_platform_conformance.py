"""Platform conformance, napalm style: every platform in the table is whole.

napalm's getter tests run every getter of every driver against saved outputs and an
expected result; a driver without a case for a getter fails. Here, for every platform of
:data:`core.platforms.PLATFORMS`:

- every fact kind it declares has a case folder (``cases/<platform>/<case>/``) holding a raw
  output of one of that kind's commands beside ``expected.json``;
- every command is read in at least one case (``expected.json`` lists it under ``read``:
  ``test_parse_cases.py`` proves the facts), so no reader or template ships untested;
- every command has a reader (:data:`collectors.parsers.PARSERS`) and its template
  resolves (an own template exists, ntc-templates has the command, both compile);
- the platform's own data agrees with itself: the emulator's reply to an unknown command
  is one the collector recognises as an error, the prompt shown matches the prompt
  pattern, the redaction family exists, the port patterns compile.

Each check fails naming the platform and everything it lacks, so adding a platform is
following the list (README "Adding a platform").
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
import textfsm

from collectors.parsers import PARSERS, CommandParser, readers_of
from collectors.parsers.templates import TemplateNotFound, compiled
from collectors.redact import _RULES_OF_FAMILY
from core.platforms import JSON_TEMPLATE, PLATFORMS, Command, Platform, command_filename

CASES = Path(__file__).resolve().parent / "cases"
EXPECTED = "expected.json"


# --- the checks, as pure functions of a platform and what it is checked against -----------

def case_folders(cases: Path, platform: str) -> list[Path]:
    """The case folders of a platform that hold an expected result."""
    folder = cases / platform
    if not folder.is_dir():
        return []
    return sorted(case for case in folder.iterdir() if (case / EXPECTED).is_file())


def _read_in(case: Path) -> set[str]:
    """The commands a case's expected facts were read from."""
    return set(json.loads((case / EXPECTED).read_text(encoding="utf-8")).get("read", []))


def case_gaps(platform: Platform, cases: Path) -> list[str]:
    """What the platform's case folders lack: a folder at all, a case per fact kind, a case
    reading each command."""
    folders = case_folders(cases, platform.name)
    if not folders:
        return [f"no case folder with {EXPECTED} under {cases / platform.name}"]
    gaps = []
    for kind in dict.fromkeys(cmd.kind for cmd in platform.commands):
        files = {command_filename(cmd.command) for cmd in platform.command(kind)}
        if not any((case / name).is_file() for case in folders for name in files):
            gaps.append(f"fact kind {kind!r}: no case holds an output of {sorted(files)}")
    read = set().union(*map(_read_in, folders))
    gaps += [f"command {cmd.command!r} ({cmd.kind}): no case reads it ({command_filename(cmd.command)} "
             f"beside an {EXPECTED} listing it under 'read')" for cmd in platform.commands if cmd.command not in read]
    return gaps


def _template_gap(platform: Platform, cmd: Command) -> str | None:
    """Why a command's template does not resolve, or None (JSON and raw text need none)."""
    if cmd.template is None or cmd.template == JSON_TEMPLATE:
        return None
    try:
        compiled(platform.ntc_platform, cmd.template)
    except TemplateNotFound as exc:
        return f"command {cmd.command!r}: {exc}"
    except textfsm.TextFSMTemplateError as exc:
        return f"command {cmd.command!r}: template {cmd.template!r} does not compile: {exc}"
    return None


def reader_gaps(platform: Platform, readers: Mapping[str, CommandParser]) -> list[str]:
    """Commands without a reader, templates that do not resolve, readers for no command."""
    gaps = [f"command {cmd.command!r}: no reader in collectors/parsers/{platform.name}.py"
            for cmd in platform.commands if cmd.command not in readers]
    gaps += [gap for cmd in platform.commands if (gap := _template_gap(platform, cmd))]
    typed = {cmd.command for cmd in platform.commands}
    gaps += [f"reader for {command!r}, which is no command of the table" for command in readers
             if command not in typed]
    return gaps


def _compile_gap(field: str, pattern: str | None) -> str | None:
    try:
        re.compile(pattern or "")
    except re.error as exc:
        return f"{field} {pattern!r} does not compile: {exc}"
    return None


def data_gaps(platform: Platform, redaction_families: Mapping[str, object]) -> list[str]:
    """Where the platform's own data disagrees with itself or with what reads it."""
    gaps = []
    reply = platform.unknown_command_reply.format(command="frobnicate")
    if not any(marker in reply for marker in platform.error_markers):
        gaps.append(f"unknown_command_reply {reply!r} holds none of the error markers {platform.error_markers}")
    prompt = platform.prompt_shown.format(hostname="core-1.city", username="audit").rstrip()
    if not re.fullmatch(platform.prompt_pattern, prompt):
        gaps.append(f"prompt_shown {prompt!r} does not match prompt_pattern {platform.prompt_pattern!r}")
    if platform.redaction not in redaction_families:
        gaps.append(f"redaction family {platform.redaction!r} is none of collectors.redact's "
                    f"{sorted(redaction_families)}")
    gaps += [gap for field, pattern in (("management_ports", platform.management_ports),
                                        ("internal_ports", platform.internal_ports),
                                        ("context_line", platform.context_line),
                                        ("engine_name", platform.engine_name),
                                        *(("record_starts", p) for _, p in platform.record_starts))
             if (gap := _compile_gap(field, pattern))]
    if platform.engine_name and not _compile_gap("engine_name", platform.engine_name) \
            and "base" not in re.compile(platform.engine_name).groupindex:
        gaps.append(f"engine_name {platform.engine_name!r} has no group 'base' naming the device")
    for network in platform.internal_networks:
        try:
            ipaddress.IPv4Network(network)
        except ValueError as exc:
            gaps.append(f"internal_networks {network!r}: {exc}")
    if platform.config_last_line and platform.config_in_braces:
        gaps.append("config_last_line and config_in_braces both set: a configuration ends one way")
    return gaps


def _failure(platform: str, gaps: list[str]) -> str:
    return f"platform {platform!r} is not whole:\n  - " + "\n  - ".join(gaps)


# --- every platform of the table ---------------------------------------------------------

@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_every_fact_kind_and_command_has_a_parse_case(name: str) -> None:
    gaps = case_gaps(PLATFORMS[name], CASES)
    assert not gaps, _failure(name, gaps)


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_every_command_has_a_reader_and_a_template(name: str) -> None:
    gaps = reader_gaps(PLATFORMS[name], PARSERS[name])
    assert not gaps, _failure(name, gaps)


@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_the_platform_data_agrees_with_itself(name: str) -> None:
    gaps = data_gaps(PLATFORMS[name], _RULES_OF_FAMILY)
    assert not gaps, _failure(name, gaps)


def test_every_case_folder_is_a_platform_of_the_table() -> None:
    strays = sorted(p.name for p in CASES.iterdir() if p.is_dir() and p.name not in PLATFORMS)
    assert not strays, f"case folders for no platform of core.platforms: {strays}"


# --- the checks catch what they are for: a made-up platform missing each part ---------------

def _platform(**changes: object) -> Platform:
    commands = (Command("facts", "show version", None), Command("lldp", "show lldp", "json"),
                Command("lldp", "show lldp brief", None, fallback_for="show lldp"))
    fields: dict[str, object] = {
        "name": "acme_os", "vendor": "Acme", "netmiko_device_type": "acme", "ntc_platform": "acme",
        "napalm_driver": None, "commands": commands, "error_markers": ("% Bad command",),
        "unknown_command_reply": "% Bad command: {command}\n", **changes,
    }
    return Platform(**fields)  # type: ignore[arg-type]


def _case(root: Path, name: str, files: dict[str, str], read: list[str]) -> None:
    folder = root / "acme_os" / name
    folder.mkdir(parents=True)
    for command, text in files.items():
        (folder / command_filename(command)).write_text(text, encoding="utf-8")
    (folder / EXPECTED).write_text(json.dumps({"read": read}), encoding="utf-8")


def test_a_platform_without_cases_is_named_with_what_it_lacks(tmp_path: Path) -> None:
    message = _failure("acme_os", case_gaps(_platform(), tmp_path))
    assert "platform 'acme_os'" in message and "no case folder" in message


def test_a_fact_kind_or_a_command_no_case_reads_is_named(tmp_path: Path) -> None:
    _case(tmp_path, "facts_only", {"show version": "Acme OS 1.0\n"}, read=["show version"])
    gaps = case_gaps(_platform(), tmp_path)
    assert any("fact kind 'lldp'" in gap for gap in gaps)
    assert {gap.split("'")[1] for gap in gaps if gap.startswith("command")} == {"show lldp", "show lldp brief"}

    _case(tmp_path, "lldp", {"show lldp": "{}", "show lldp brief": ""}, read=["show lldp"])
    gaps = case_gaps(_platform(), tmp_path)
    assert [gap.split("'")[1] for gap in gaps] == ["show lldp brief"]  # the weaker form still needs a case


def test_a_command_without_reader_or_template_is_named() -> None:
    platform = _platform(commands=(Command("facts", "show version", "own:acme_show_version.textfsm"),
                                   Command("facts", "show inventory", None)))
    gaps = reader_gaps(platform, {"show version": CommandParser(lambda text: text),
                                  "show chassis": CommandParser(lambda text: text)})
    assert any("'show inventory': no reader in collectors/parsers/acme_os.py" in gap for gap in gaps)
    assert any("'show version'" in gap and "acme_show_version.textfsm" in gap for gap in gaps)
    assert any("'show chassis', which is no command" in gap for gap in gaps)


def test_platform_data_that_disagrees_is_named() -> None:
    platform = _platform(unknown_command_reply="Unknown verb\n", prompt_shown="[{hostname}]$",
                         redaction="acme", management_ports="(unclosed", internal_networks=("10.0.0.1/8",),
                         engine_name=r"(.+)-re[01]")
    gaps = data_gaps(platform, _RULES_OF_FAMILY)
    assert [gap.split()[0] for gap in gaps] == ["unknown_command_reply", "prompt_shown", "redaction",
                                                "management_ports", "engine_name", "internal_networks"]


def test_a_record_start_or_setup_reply_for_no_command_fails_when_the_platform_is_built() -> None:
    with pytest.raises(ValueError, match="acme_os: record_starts names 'show interfaces'"):
        _platform(record_starts=(("show interfaces", r"^(\S+) is"),))
    with pytest.raises(ValueError, match="acme_os: setup_replies names 'paging off'"):
        _platform(setup_replies=(("paging off", "ok\n"),))


def test_a_platform_without_a_readers_module_is_an_error_naming_the_module_to_write() -> None:
    with pytest.raises(LookupError, match=r"'acme_os' has no readers: write collectors\.parsers\.acme_os"):
        readers_of("acme_os")
