"""Review of the hardening, as an adversary: secrets reaching a *message* or a stored artefact
by paths the other security tests do not take, and hostile inputs they do not try.

Each test here failed before its fix (see the commit that added it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectors.base import RawOutputs
from collectors.completeness import incomplete_reason
from collectors.credentials import CredentialError, load_credentials_file
from collectors.manifest import read_manifest
from collectors.offline import OfflineCollector
from collectors.parse import parse_outputs
from collectors.redact import REDACTED, redact_config
from core.errors import CaptureError
from inventory.model import Device
from netcensus import store
from netcensus.archive_redaction import redact_capture
from netcensus.cli import app
from netcensus.store import captures_digest, write_archive

REPO = Path(__file__).resolve().parents[2]

# --- A configuration cut inside a quoted secret -------------------------------------------
#: (platform, configuration cut inside the quotes of its last line's secret, the secret's
#: visible part). The redactor knew only closed quotes, so the open one kept its value, and
#: the completeness message quoted that line back into the problems of the report.
CUT_IN_QUOTES = [
    ("cisco_nxos", 'hostname n1\nusername admin password "Pl41nCutSecr', "Pl41nCutSecr"),
    ("cisco_nxos", 'hostname n1\nsnmp-server community "C0mmCutSecr', "C0mmCutSecr"),
    ("cisco_ios", 'hostname r1\nsnmp-server community "C0mmCutSecr', "C0mmCutSecr"),
    ("arista_eos", 'hostname e1\nusername a secret 0 "Pl41nCutSecr', "Pl41nCutSecr"),
    ("juniper_junos", 'system {\n host-name j1;\n authentication-key "Pl41nCutSecr', "Pl41nCutSecr"),
    ("juniper_junos", 'set system host-name j1\nset snmp community "C0mmCutSecr', "C0mmCutSecr"),
    ("juniper_junos", 'set system host-name j1\nset snmp community "C0mm\\"CutSecr\\', "CutSecr"),
]


@pytest.mark.parametrize(("platform", "text", "secret"), CUT_IN_QUOTES)
def test_a_secret_cut_inside_its_quotes_is_redacted_and_the_cut_still_shows(platform: str, text: str,
                                                                              secret: str) -> None:
    redacted = redact_config(platform, text)
    assert secret not in redacted
    assert redacted.splitlines()[-1].endswith(f'"{REDACTED}')  # the quote stays open
    reason = incomplete_reason(platform, "config", "show running-config", redacted)
    assert reason is not None and secret not in reason


@pytest.mark.parametrize(("platform", "text", "secret"), CUT_IN_QUOTES)
def test_the_parsed_facts_of_a_config_cut_in_quotes_hold_no_secret(platform: str, text: str, secret: str) -> None:
    command = "show configuration" if platform == "juniper_junos" else "show running-config"
    facts = parse_outputs(RawOutputs("d1", platform, {command: text}))
    assert secret not in (facts.config or "")
    assert secret not in repr(facts.problems)
    assert any(p.command == command and p.reason == "incomplete" for p in facts.problems)


def test_closed_quotes_are_redacted_as_before() -> None:
    assert redact_config("cisco_ios", 'snmp-server community "C0mm" RO\n') == f'snmp-server community "{REDACTED}" RO\n'


# --- napalm get_config handed in as a saved capture ----------------------------------------
NAPALM_CASE = REPO / "tests" / "collectors" / "cases" / "cisco_nxos" / "napalm_getters"


def test_a_saved_napalm_configuration_is_redacted_before_it_is_stored(tmp_path: Path) -> None:
    """Our napalm transport redacts before writing, but an offline audit reads folders saved by
    anyone: ``get_config``'s running configuration reached the facts (so the history store
    and the facts cache) in clear."""
    folder = tmp_path / "n1"
    shutil.copytree(NAPALM_CASE, folder)
    running = ("hostname n1\nsnmp-server community NapalmC0mmS3cret group network-operator\n"
               "username admin password 0 NapalmPwS3cret role network-admin\n")
    (folder / "napalm_get_config.json").write_text(json.dumps({"running": running, "startup": "", "candidate": ""}))
    device = Device(name="n1", host="192.0.2.1", platform="cisco_nxos", department="it", site="hq")
    facts = parse_outputs(OfflineCollector(tmp_path).collect(device))
    assert facts.config is not None and "hostname n1" in facts.config
    assert "NapalmC0mmS3cret" not in facts.config and "NapalmPwS3cret" not in facts.config
    assert REDACTED in facts.config


# --- JSON nested thousands deep ------------------------------------------------------------
DEEP_LIST = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"hostname": ' * 50_000 + '"x"' + "}" * 50_000


@pytest.mark.parametrize("document", [DEEP_LIST, DEEP_OBJECT], ids=["list", "object"])
def test_a_deeply_nested_json_capture_is_left_out_of_the_archive_not_raised(document: str) -> None:
    redacted, why = redact_capture("captures/n1/napalm_get_interfaces.json", document.encode(), "cisco_nxos")
    assert redacted is None and why is not None and "nested" in why


@pytest.mark.parametrize(("platform", "command"), [
    ("arista_eos", "show version | json"), ("cisco_nxos", "show interface | json"),
    ("juniper_junos", "show interfaces | display json"), ("cisco_nxos", "napalm:get_interfaces"),
])
def test_a_deeply_nested_json_output_is_a_parse_error_of_that_command(platform: str, command: str) -> None:
    """Was "internal parser error: RecursionError" failing the whole device."""
    facts = parse_outputs(RawOutputs("d1", platform, {command: DEEP_LIST}))
    assert facts.status != "error", facts.error
    getter = command.removeprefix("napalm:")
    assert any(p.command == getter and p.reason == "parse_error" and "nested too deeply" in p.message
               for p in facts.problems), facts.problems


def inventory(root: Path, platform: str = "cisco_nxos", name: str = "n1") -> Path:
    """A one-device inventory."""
    root.mkdir(parents=True)
    (root / "organisation.yaml").write_text("departments:\n  - id: it\n    name: IT\n", encoding="utf-8")
    (root / "sites.yaml").write_text("sites:\n  - id: hq\n    name: HQ\n    district: Central\n", encoding="utf-8")
    (root / "devices.yaml").write_text(
        f"devices:\n  - name: {name}\n    host: 192.0.2.1\n    platform: {platform}\n"
        "    department: it\n    site: hq\n    role: core\n", encoding="utf-8")
    return root


def test_a_deeply_nested_json_capture_does_not_abort_the_audit(tmp_path: Path) -> None:
    """Was a RecursionError traceback from the run archive, exit 1, no report."""
    captures = tmp_path / "captures"
    shutil.copytree(NAPALM_CASE, captures / "n1")
    (captures / "n1" / "napalm_get_interfaces.json").write_text(DEEP_LIST, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", str(inventory(tmp_path / "inv")), "--captures", str(captures),
                                      "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    assert (out / "netcensus-report.json").is_file(), result.output
    report = (out / "netcensus-report.json").read_text(encoding="utf-8")
    assert "nested too deeply" in report


# --- A credentials file with a missing colon -----------------------------------------------
@pytest.mark.parametrize("entry", [
    "{username: admin, password: pw, secret Hunter2S3cretS}",  # the enable secret without its colon
    "{username: admin, password: pw, Hunter2S3cretS}",
])
def test_a_credentials_problem_never_echoes_a_value_written_as_a_key(tmp_path: Path, entry: str) -> None:
    """The unknown-keys problem printed ``['secret Hunter2S3cretS']`` on stderr."""
    path = tmp_path / "credentials.yaml"
    path.write_text(f"default: {entry}\n", encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(CredentialError) as raised:
        load_credentials_file(path)
    text = str(raised.value) + repr(raised.value.problems)
    assert "Hunter2S3cretS" not in text
    assert "default" in text and "no key name" in text


def test_a_misspelt_credentials_key_is_still_named(tmp_path: Path) -> None:
    path = tmp_path / "credentials.yaml"
    path.write_text("default:\n  username: admin\n  password: pw\n  secert: x\n", encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(CredentialError) as raised:
        load_credentials_file(path)
    assert "secert" in str(raised.value) + repr(raised.value.problems)


# --- The run archive's walk of the capture folder ------------------------------------------
def nested_folders(root: Path, depth: int) -> None:
    """A chain of ``depth`` folders under ``root`` (built by moving into each, as paths grow long)."""
    here = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("a", dir_fd=here)
            inner = os.open("a", os.O_RDONLY, dir_fd=here)
            os.close(here)
            here = inner
    finally:
        os.close(here)


def remove_nested_folders(root: Path) -> None:
    """Undo :func:`nested_folders` one level at a time (the chain moved up, the top removed): a
    recursive removal, pytest's own included, overflows the stack on it."""
    top, spare = root / "a", root / "a.spare"
    while top.is_dir():
        if (top / "a").is_dir():
            os.rename(top / "a", spare)
            os.rmdir(top)
            os.rename(spare, top)
        else:
            os.rmdir(top)


def archive_listing(target: Path) -> dict[str, str]:
    with tarfile.open(target) as tar:
        handle = tar.extractfile("REDACTION.json")
        assert handle is not None
        return {o["path"]: o["reason"] for o in json.loads(handle.read())["omitted"]}


def test_a_folder_chain_thousands_deep_is_left_out_of_the_archive(tmp_path: Path) -> None:
    """Was a RecursionError from the archive's walk: the audit aborted with a traceback."""
    captures = tmp_path / "captures"
    shutil.copytree(NAPALM_CASE, captures / "n1")
    (captures / "n1" / "junk").mkdir()
    nested_folders(captures / "n1" / "junk", 1500)
    target = tmp_path / "run.tar.gz"
    try:
        digest = write_archive(captures, target, {"n1": "cisco_nxos"})
        assert captures_digest(captures, {"n1": "cisco_nxos"}) == digest
    finally:
        remove_nested_folders(captures / "n1" / "junk")
    omitted = archive_listing(target)
    assert any("levels deep" in why for why in omitted.values()), omitted
    with tarfile.open(target) as tar:
        assert "captures/n1/napalm_get_facts.json" in tar.getnames()


def test_a_folder_chain_thousands_deep_does_not_abort_the_audit(tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    shutil.copytree(NAPALM_CASE, captures / "n1")
    nested_folders(captures / "n1", 1500)
    out = tmp_path / "out"
    try:
        result = CliRunner().invoke(app, ["audit", str(inventory(tmp_path / "inv")), "--captures", str(captures),
                                          "--out", str(out)])
    finally:
        remove_nested_folders(captures / "n1")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert (out / "netcensus-report.json").is_file(), result.output


def test_a_file_swapped_for_a_fifo_after_listing_is_left_out_without_hanging(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The archive opened what the walk had seen as a regular file with a plain ``open``: a
    FIFO swapped in between blocked the run forever, holding the store lock."""
    captures = tmp_path / "captures"
    (captures / "r1").mkdir(parents=True)
    regular = captures / "r1" / "show_version.txt"
    regular.write_text("Cisco IOS Software\n", encoding="utf-8")
    fifo = captures / "r1" / "show_running-config.txt"
    os.mkfifo(fifo)
    walk = store._capture_entries

    def swapped(folder: Path, skipped=None):  # the FIFO listed as the regular file it replaced
        for arcname, path, info in walk(folder, skipped):
            yield arcname, path, (os.lstat(regular) if path == str(fifo) else info)

    monkeypatch.setattr(store, "_capture_entries", swapped)
    previous = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("blocked on a FIFO")))
    signal.alarm(20)
    try:
        target = tmp_path / "run.tar.gz"
        digest = write_archive(captures, target, {"r1": "cisco_ios"})
        assert captures_digest(captures, {"r1": "cisco_ios"}) == digest
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert "captures/r1/show_running-config.txt" in archive_listing(target)


def test_a_file_swapped_for_a_link_leading_outside_is_not_archived(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("OutsideS3cretFile\n", encoding="utf-8")
    captures = tmp_path / "captures"
    (captures / "r1").mkdir(parents=True)
    regular = captures / "r1" / "show_version.txt"
    regular.write_text("Cisco IOS Software\n", encoding="utf-8")
    link = captures / "r1" / "show_running-config.txt"
    link.symlink_to(outside)
    walk = store._capture_entries

    def swapped(folder: Path, skipped=None):
        for arcname, path, info in walk(folder, skipped):
            yield arcname, path, (os.lstat(regular) if path == str(link) else info)

    monkeypatch.setattr(store, "_capture_entries", swapped)
    target = tmp_path / "run.tar.gz"
    write_archive(captures, target, {"r1": "cisco_ios"})
    with tarfile.open(target) as tar:
        contents = b"".join(tar.extractfile(m).read() for m in tar if m.isfile())  # type: ignore[union-attr]
    assert b"OutsideS3cretFile" not in contents


# --- A secret holding a device-error marker ------------------------------------------------
@pytest.mark.parametrize(("platform", "command", "text", "secret"), [
    ("cisco_ios", "show running-config",
     "hostname r1\nenable password Zq9% Invalid input S3cretTail\n"
     "interface Gi0/1\n ip address 10.0.0.1 255.255.255.0\nend\n",
     "S3cretTail"),
    ("cisco_ios", "show running-config",
     "hostname r1\nusername ops privilege 15 password 0 a% Ambiguous command UserS3cret\nend\n", "UserS3cret"),
])
def test_a_secret_holding_an_error_marker_is_redacted_not_quoted_as_the_device_error(
        platform: str, command: str, text: str, secret: str) -> None:
    """The error test ran on the configuration before redaction (which it skipped when a
    marker was found): the secret line was quoted whole as the "device error", the
    configuration left unread."""
    facts = parse_outputs(RawOutputs("d1", platform, {command: text}))
    assert secret not in repr(facts.problems) and secret not in (facts.config or "")
    assert facts.config is not None and REDACTED in facts.config


# --- Inventory YAML nested thousands deep in block style -----------------------------------
DEVICE_ENTRY = ("devices:\n  - name: n1\n    host: 192.0.2.1\n    platform: cisco_nxos\n"
                "    department: it\n    site: hq\n")


@pytest.mark.parametrize("devices_yaml", [
    DEVICE_ENTRY + "    networks:\n" + "".join("  " * (i + 3) + "-\n" for i in range(3000)),
    "x-deep:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(5000)) + DEVICE_ENTRY,
], ids=["sequences", "mappings"])
def test_block_nesting_thousands_deep_is_a_problem_with_its_line_not_a_traceback(
        tmp_path: Path, devices_yaml: str) -> None:
    """libyaml limits flow nesting but not block nesting; the composer recursed once per level."""
    root = inventory(tmp_path / "inv")
    (root / "devices.yaml").write_text(devices_yaml, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert re.search(r"devices\.yaml:\d+: .*nested more than \d+ levels deep", result.output), result.output


@pytest.mark.parametrize("tool", ["ansible-yaml", "ansible-json", "nornir"])
def test_an_import_nested_thousands_deep_is_a_problem_not_a_traceback(tmp_path: Path, tool: str) -> None:
    """PyYAML's own composer recursed once per level: RecursionError, exit 1."""
    deep_block = "".join(" " * (i + 8) + f"k{i}:\n" for i in range(5000))
    if tool == "nornir":
        source = tmp_path / "nornir"
        source.mkdir()
        (source / "hosts.yaml").write_text("r1:\n  hostname: 192.0.2.1\n  data:\n" + deep_block[4:], encoding="utf-8")
    elif tool == "ansible-yaml":
        source = tmp_path / "hosts.yaml"
        source.write_text("all:\n  hosts:\n    r1:\n      x:\n" + deep_block, encoding="utf-8")
    else:
        source = tmp_path / "hosts.json"
        source.write_text('{"_meta": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", tool.split("-")[0], str(source), "--out", str(tmp_path / "o.yaml"),
                                      "--department", "it", "--site", "hq"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2 and "nested too deeply" in result.output, result.output
    assert not (tmp_path / "o.yaml").exists()


# --- Terminal artefacts inside a secret line, in the run archive ---------------------------
#: (platform, a configuration line as saved from a terminal, its secret). The parser reads
#: these lines as the terminal showed them (and redacts them); the archive redacted the raw
#: bytes, where the pager prompt or escape sequence hides the line's start from the rules.
TERMINAL_LINES = [
    ("cisco_ios", " --More-- " + "\b" * 10 + " " * 10 + "\b" * 10 + "snmp-server community PagerS3cretA RO",
     "PagerS3cretA"),
    ("huawei", "  ---- More ----\x1b[16D                \x1b[16D snmp-agent community read cipher PagerS3cretB",
     "PagerS3cretB"),
    ("juniper_junos", "---(more 45%)---\r                \rset snmp community PagerS3cretC", "PagerS3cretC"),
    ("cisco_ios", "snmp-server comm\x1b[Kunity PagerS3cretD RO", "PagerS3cretD"),
    ("cisco_ios", " --More-- snmp-server community PagerS3cretG RO", "PagerS3cretG"),  # a prompt left inline
]


@pytest.mark.parametrize(("platform", "line", "secret"), TERMINAL_LINES)
def test_a_secret_line_behind_terminal_artefacts_is_redacted_in_the_archive(platform: str, line: str,
                                                                           secret: str) -> None:
    data = f"hostname r1\n{line}\nend\n".encode()
    redacted, why = redact_capture("captures/r1/show_running-config.txt", data, platform)
    assert redacted is not None, why
    assert secret.encode() not in redacted
    assert REDACTED.encode() in redacted


def test_a_file_without_terminal_artefacts_keeps_its_bytes_in_the_archive() -> None:
    data = b"hostname r1\r\ninterface Gi0/1\r\n description spare - more later\r\nend\r\n"
    assert redact_capture("captures/r1/show_running-config.txt", data, "cisco_ios") == (data, None)


def test_a_live_capture_redacts_a_secret_line_behind_terminal_artefacts(tmp_path: Path) -> None:
    """The live transport redacted the raw answer, where a pager prompt erased by backspaces hid
    the secret line's start from the rules: the capture file kept it."""
    from support.emulator import EmulatedDevice, Emulator

    folder = tmp_path / "served" / "r1"
    shutil.copytree(REPO / "tests" / "collectors" / "cases" / "cisco_ios" / "full", folder,
                    ignore=shutil.ignore_patterns("expected.json", "*.md"))
    config = folder / "show_running-config.txt"
    line = " --More-- " + "\b" * 10 + " " * 10 + "\b" * 10 + "snmp-server community LivePagerS3cret RO\n"
    text = config.read_text(encoding="utf-8")
    head, sep, tail = text.rpartition("\nend")
    config.write_text(head + "\n" + line.rstrip("\n") + sep + tail, encoding="utf-8")
    user, password = "survey", "Lab-Only-Pw-Review1"
    device = EmulatedDevice.from_capture(folder, "cisco_ios", username=user, password=password)
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    env = {**os.environ, "HOME": str(home), "NETCENSUS_DEFAULT_USERNAME": user,
           "NETCENSUS_DEFAULT_PASSWORD": password, "COLUMNS": "200"}
    with Emulator([device]) as emu:
        root = inventory(tmp_path / "inv", platform="cisco_ios", name=device.name)
        devices = root / "devices.yaml"
        devices.write_text(devices.read_text(encoding="utf-8").replace("192.0.2.1", "127.0.0.1")
                           + f"    port: {emu.port(device.name)}\n", encoding="utf-8")
        known_hosts = home / ".ssh" / "known_hosts"
        known_hosts.write_text(emu.known_hosts_line(device.name) + "\n", encoding="utf-8")
        live = tmp_path / "live"
        done = subprocess.run([sys.executable, "-m", "netcensus.cli", "collect", str(root), "--out", str(live),
                               "--known-hosts", str(known_hosts), "--connect-timeout", "8",
                               "--command-timeout", "15"], capture_output=True, text=True, cwd=REPO,
                              timeout=300, env=env)
    saved = live / device.name / "show_running-config.txt"
    assert saved.is_file(), done.stdout + done.stderr
    assert "LivePagerS3cret" not in saved.read_text(encoding="utf-8")
    assert "LivePagerS3cret" not in done.stdout + done.stderr


# --- Help of the nested commands -----------------------------------------------------------
def _command_paths(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    commands = getattr(group, "commands", {})
    paths = []
    for name, command in commands.items():
        paths.append((*prefix, name))
        paths += _command_paths(command, (*prefix, name))
    return paths


def test_no_help_text_shows_a_bool_value_on_a_flag_nested_commands_included() -> None:
    """``import ansible --help`` still showed ``--help <bool>``: the fix reached one level only."""
    import typer.main

    paths = _command_paths(typer.main.get_command(app))
    assert ("import", "ansible") in paths and ("export", "nornir") in paths
    shown = {" ".join(path): CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"}).output
             for path in paths}
    assert {path: text for path, text in shown.items() if "<bool>" in text} == {}


def test_a_credentials_value_that_is_no_text_is_refused(tmp_path: Path) -> None:
    """An alias to a nested list was turned into text as the user name (with a bomb of a few more
    levels, that text would never end)."""
    lines = ['  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 7)]
    path = tmp_path / "credentials.yaml"
    path.write_text("x-bomb:\n" + "\n".join(lines) + "\ndefault: {username: *a6, password: pw}\n", encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(CredentialError) as raised:
        load_credentials_file(path)
    assert any(p.field == "default" and p.message == "needs 'username' and 'password'"
               for p in raised.value.problems), raised.value.problems


def test_a_credentials_file_nested_thousands_deep_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "credentials.yaml"
    path.write_text("default:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(5000)), encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(CredentialError) as raised:
        load_credentials_file(path)
    assert "nested too deeply" in repr(raised.value.problems)


# --- The manifest of a capture folder handed in by others ----------------------------------
def test_a_manifest_nested_thousands_deep_is_a_capture_problem(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"format": ' + DEEP_LIST + "}", encoding="utf-8")
    with pytest.raises(CaptureError, match="nested too deeply"):
        read_manifest(tmp_path)


def test_a_manifest_linked_outside_the_captures_is_not_read(tmp_path: Path) -> None:
    """It was read with a plain ``read_text``: any file the link names, whatever its size."""
    outside = tmp_path / "elsewhere.json"
    outside.write_text('{"format": 1, "started": "x", "devices": {}}', encoding="utf-8")
    captures = tmp_path / "captures"
    captures.mkdir()
    (captures / "manifest.json").symlink_to(outside)
    with pytest.raises(CaptureError, match="leads outside"):
        read_manifest(captures)


def test_a_manifest_nested_thousands_deep_does_not_abort_the_audit(tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    shutil.copytree(NAPALM_CASE, captures / "n1")
    (captures / "manifest.json").write_text('{"format": ' + DEEP_LIST + "}", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", str(inventory(tmp_path / "inv")), "--captures", str(captures),
                                      "--out", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert (out / "netcensus-report.json").is_file(), result.output


def test_a_junos_statement_of_thousands_of_words_is_read_not_a_recursion_error() -> None:
    """The statement expander recursed once per word: the configuration failed to read."""
    text = ("system {\n host-name j1;\n}\ninterfaces {\n ge-0/0/0 {\n description " + "w " * 5000
            + ";\n unit 0 { family inet { address 10.0.0.1/30; } }\n }\n}\n")
    facts = parse_outputs(RawOutputs("j1", "juniper_junos", {"show configuration": text}))
    assert not facts.problems, facts.problems
    assert [i.name for i in facts.interfaces if i.name.startswith("ge-0/0/0")]


def test_an_inventory_credential_written_without_its_colon_is_not_echoed(tmp_path: Path) -> None:
    """In a flow mapping, ``password Hunter2S3cretX`` is one key: the credentials problem named
    the field by the whole key, so printed the password."""
    root = inventory(tmp_path / "inv")
    (root / "devices.yaml").write_text(
        "devices:\n  - {name: n1, host: 192.0.2.1, platform: cisco_nxos, department: it, site: hq, "
        "password Hunter2S3cretX}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(root)])
    assert result.exit_code == 2, result.output
    assert "credentials must not be stored" in result.output and "devices[0].password" in result.output
    assert "Hunter2S3cretX" not in result.output


def test_escape_sequences_a_device_reports_do_not_reach_the_csv_reports_raw(tmp_path: Path) -> None:
    """A hostname from JSON (``\\u001b]0;...``) was written raw into the findings CSV: ``cat``
    of the file ran the sequence (window title, clipboard writes on some terminals)."""
    captures = tmp_path / "captures"
    shutil.copytree(NAPALM_CASE, captures / "n1")
    facts_file = captures / "n1" / "napalm_get_facts.json"
    document = json.loads(facts_file.read_text(encoding="utf-8"))
    document["hostname"] = "evil\u001b]0;PWNED\u0007\u001b[2J\u009b31m"
    facts_file.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", str(inventory(tmp_path / "inv")), "--captures", str(captures),
                                      "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    tables = sorted(out.glob("*.csv"))
    assert tables and any("PWNED" in t.read_text(encoding="utf-8-sig") for t in tables)  # the finding is there
    for table in tables:
        text = table.read_text(encoding="utf-8-sig")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text), table.name
