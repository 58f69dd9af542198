"""Capture folders handed in by others, tried as an adversary (or an unlucky copy) would.

Each hostile file must fail its device with a problem naming the file, never hang the
audit, exhaust memory, read outside the capture folder or abort the run; a cut-short
output must read ``partial``; terminal artefacts and Chinese encodings must not reach
the parsers. The outputs are the real ones of ``cases/`` and ``tests/fixtures``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from capture_helpers import make_device
from typer.testing import CliRunner

import collectors.offline as offline
from collectors.capture import MAX_CAPTURE_BYTES, clean_output, decode_output, read_capture
from collectors.completeness import incomplete_reason
from collectors.facts import DeviceFacts
from collectors.offline import OfflineCollector
from collectors.parse import parse_outputs
from core.platforms import PLATFORMS, command_filename
from netcensus.cache import FactsCache
from netcensus.cli import app
from netcensus.pipeline import collect_facts

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
FIXTURES = REPO / "tests" / "fixtures" / "ntc-templates"
EXAMPLE = REPO / "examples" / "inventory"

#: The real capture folder each platform's tests start from (complete outputs).
FULL_CASE = {
    "cisco_ios": "cisco_ios/full", "huawei": "huawei/full", "hp_comware": "hp_comware/cw7_full",
    "arista_eos": "arista_eos/text_only", "cisco_nxos": "cisco_nxos/text_only",
    "juniper_junos": "juniper_junos/text_only",
}


device = make_device


def capture_folder(root: Path, platform: str = "cisco_ios", name: str = "r1") -> Path:
    """A capture folder holding one device's complete real outputs; returns the captures root."""
    shutil.copytree(CASES / FULL_CASE[platform], root / name, ignore=shutil.ignore_patterns("expected.json", "*.md"))
    return root


def facts_of(captures: Path, name: str = "r1", platform: str = "cisco_ios") -> DeviceFacts:
    return parse_outputs(OfflineCollector(captures).collect(device(name, platform)))


def problem(facts: DeviceFacts, command: str) -> str:
    """The text of the problems of one command ("" if none)."""
    return " | ".join(f"{p.reason}: {p.message}" for p in facts.problems if p.command == command)


#: Collects one device in a child process with 1.5 GiB of address space: a capture that
#: hangs the reader or makes it read without end fails the test instead of the machine.
_CHILD = """
import dataclasses, json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
from collectors.offline import OfflineCollector
from collectors.parse import parse_outputs
from inventory.model import Device
captures, name, platform = sys.argv[1:4]
raw = OfflineCollector(captures).collect(Device(name=name, host="192.0.2.10", platform=platform,
                                                department="test", site="test"))
print(json.dumps(dataclasses.asdict(parse_outputs(raw))))
"""


def collect_in_child(captures: Path, name: str = "r1", platform: str = "cisco_ios",
                     prefix: tuple[str, ...] = ()) -> dict:
    try:
        done = subprocess.run([*prefix, sys.executable, "-c", _CHILD, str(captures), name, platform], cwd=REPO,
                              capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("collecting the device hung (a FIFO or a device file was opened blocking)")
    assert done.returncode == 0, f"the collection crashed: {done.stderr[-2000:]}"
    return json.loads(done.stdout)


# --- hostile files ----------------------------------------------------------------------


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    captures = capture_folder(tmp_path / "captures")
    fifo = captures / "r1" / "show_version.txt"
    fifo.unlink()
    os.mkfifo(fifo)
    facts = collect_in_child(captures)
    messages = [p["message"] for p in facts["problems"] if p["command"] == "show version"]
    assert messages and str(fifo) in messages[0] and "FIFO" in messages[0]
    assert facts["status"] == "partial" and facts["interfaces"]  # the other outputs still count
    assert str(fifo) in facts["error"]


def test_a_link_to_dev_zero_is_refused_without_reading_it(tmp_path: Path) -> None:
    captures = capture_folder(tmp_path / "captures")
    (captures / "r1" / "show_interfaces.txt").unlink()
    (captures / "r1" / "show_interfaces.txt").symlink_to("/dev/zero")
    facts = collect_in_child(captures)
    message = next(p["message"] for p in facts["problems"] if p["command"] == "show interfaces")
    assert "outside the capture folder" in message and "/dev/zero" in message
    assert facts["status"] == "partial"


def test_a_device_file_inside_the_folder_is_refused(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("creating a device node needs root")
    captures = capture_folder(tmp_path / "captures")
    node = captures / "r1" / "show_version.txt"
    node.unlink()
    os.mknod(node, 0o600 | 0o020000, os.makedev(1, 5))  # a character device: /dev/zero's numbers
    facts = collect_in_child(captures)
    message = next(p["message"] for p in facts["problems"] if p["command"] == "show version")
    assert "character device" in message and str(node) in message


def test_a_link_leading_outside_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "passwords.txt"
    outside.parent.mkdir()
    outside.write_text("hostname leaked-secret-7Qz\n!\nend\n", encoding="utf-8")
    captures = capture_folder(tmp_path / "captures")
    config = captures / "r1" / "show_running-config.txt"
    config.unlink()
    config.symlink_to(outside)
    facts = facts_of(captures)
    assert "leaked-secret-7Qz" not in json.dumps(dataclasses.asdict(facts))
    assert "outside the capture folder" in problem(facts, "show running-config")
    assert str(config) in problem(facts, "show running-config")


def test_a_device_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    elsewhere = capture_folder(tmp_path / "elsewhere")
    captures = tmp_path / "captures"
    captures.mkdir()
    (captures / "r1").symlink_to(elsewhere / "r1", target_is_directory=True)
    facts = facts_of(captures)
    assert facts.status == "error" and "outside the capture folder" in (facts.error or "")
    assert not facts.interfaces


def test_a_device_folder_linking_to_itself_fails_that_device(tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    captures.mkdir()
    (captures / "r1").symlink_to("r1")
    facts = facts_of(captures)
    assert facts.status == "error" and "symbolic links" in (facts.error or "")


def test_links_inside_the_folder_are_read(tmp_path: Path) -> None:
    """Deduplicated captures (one device's file linked from another's folder) are fine."""
    captures = capture_folder(tmp_path / "captures")
    (captures / "r2").mkdir()
    for file in (captures / "r1").iterdir():
        (captures / "r2" / file.name).symlink_to(Path("..") / "r1" / file.name)
    assert facts_of(captures, "r2").status == "ok"


def test_a_folder_named_like_a_capture_file_fails_that_command(tmp_path: Path) -> None:
    captures = capture_folder(tmp_path / "captures")
    (captures / "r1" / "show_version.txt").unlink()
    (captures / "r1" / "show_version.txt").mkdir()
    facts = facts_of(captures)
    assert "a folder, not a regular file" in problem(facts, "show version")
    assert facts.status == "partial"


def test_a_capture_over_the_size_bound_is_refused_unread(tmp_path: Path) -> None:
    captures = capture_folder(tmp_path / "captures")
    huge = captures / "r1" / "show_interfaces.txt"
    with open(huge, "r+b") as handle:  # sparse: no disk is spent
        handle.truncate(MAX_CAPTURE_BYTES + 1)
    facts = collect_in_child(captures)
    message = next(p["message"] for p in facts["problems"] if p["command"] == "show interfaces")
    assert "64 MiB" in message and str(huge) in message


def test_the_bound_is_checked_on_what_is_read_not_only_the_size(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("x" * 100, encoding="utf-8")
    assert read_capture(tmp_path, path, limit=99).refused
    assert read_capture(tmp_path, path, limit=100).text == "x" * 100


def _fail_opening(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make opening one capture file fail with EACCES, whichever way it is opened
    (a root test cannot rely on chmod 000)."""
    import builtins

    real_os_open, real_open = os.open, builtins.open

    def denied(path: object) -> bool:
        return os.fspath(path).endswith(name) if isinstance(path, (str, os.PathLike)) else False

    def os_open(path, *args, **kwargs):
        if denied(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_os_open(path, *args, **kwargs)

    def open_(file, *args, **kwargs):
        if denied(file):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", open_)


def test_an_unreadable_capture_fails_that_device_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    captures = capture_folder(tmp_path / "captures")
    _fail_opening("show_lldp_neighbors_detail.txt", monkeypatch)
    facts = facts_of(captures)
    message = problem(facts, "show lldp neighbors detail")
    assert "unreadable" in message and "Permission denied" in message
    assert str(captures / "r1" / "show_lldp_neighbors_detail.txt") in message
    assert facts.status == "partial" and facts.interfaces


def _example_captures(root: Path) -> Path:
    """Captures for three devices of the example inventory (the rest are not collected)."""
    for name, platform in (("qs-dc-core1", "cisco_ios"), ("qs-dc-core2", "huawei"), ("edu-core1", "hp_comware")):
        capture_folder(root, platform, name)
    return root


def test_an_unreadable_capture_does_not_abort_the_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    captures = _example_captures(tmp_path / "captures")
    _fail_opening("show_interfaces.txt", monkeypatch)
    result = CliRunner().invoke(app, ["audit", str(EXAMPLE), "--captures", str(captures), "--out",
                                      str(tmp_path / "out"), "--today", "2026-01-01", "--quiet", "--no-cache"])
    assert "cannot write" not in result.output + result.stderr
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "netcensus-report.json").read_text(encoding="utf-8"))
    core1 = next(d for d in report["collection"] if d["device"] == "qs-dc-core1")
    assert core1["status"] == "partial"
    assert any("show_interfaces.txt" in p and "unreadable" in p for p in core1["problems"])
    core2 = next(d for d in report["collection"] if d["device"] == "qs-dc-core2")
    assert core2["status"] == "ok"


def _without_file_permission_override() -> list[str]:
    """A command prefix under which mode 000 really denies reading, or skip."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root without setpriv: a mode 000 file stays readable")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def test_a_mode_000_capture_fails_that_command(tmp_path: Path) -> None:
    """chmod 000 for real (root drops its override of file permissions for the child)."""
    prefix = _without_file_permission_override()
    captures = capture_folder(tmp_path / "captures")
    locked = captures / "r1" / "show_version.txt"
    locked.chmod(0)
    facts = collect_in_child(captures, prefix=tuple(prefix))
    message = next(p["message"] for p in facts["problems"] if p["command"] == "show version")
    assert str(locked) in message and "Permission denied" in message
    assert facts["status"] == "partial"


def test_a_mode_000_capture_fails_that_device_in_a_real_audit(tmp_path: Path) -> None:
    """chmod 000 for real, through the whole audit: the run is recorded, the device partial."""
    prefix = _without_file_permission_override()
    captures = _example_captures(tmp_path / "captures")
    locked = captures / "qs-dc-core2" / "display_interface.txt"
    locked.chmod(0)
    done = subprocess.run([*prefix, sys.executable, "-m", "netcensus.cli", "audit", str(EXAMPLE), "--captures",
                           str(captures), "--out", str(tmp_path / "out"), "--today", "2026-01-01", "--quiet"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert "cannot write" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "out" / "netcensus-report.json").read_text(encoding="utf-8"))
    core2 = next(d for d in report["collection"] if d["device"] == "qs-dc-core2")
    assert core2["status"] == "partial" and any(str(locked) in p for p in core2["problems"])


def test_the_fingerprint_follows_what_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              no_hang: None) -> None:
    """A FIFO later replaced by the real file: the cached facts must not be the refused ones."""
    monkeypatch.setattr(offline, "SETTLED_S", 0.0)
    captures = capture_folder(tmp_path / "captures")
    version = captures / "r1" / "show_version.txt"
    text = version.read_text(encoding="utf-8")
    version.unlink()
    os.mkfifo(version)
    inventory = type("Inv", (), {"devices": {"r1": device()}})()
    first = collect_facts(inventory, OfflineCollector(captures), cache=FactsCache(tmp_path / "cache"), workers=1)
    assert first["r1"].status == "partial"
    version.unlink()
    version.write_text(text, encoding="utf-8")
    again = collect_facts(inventory, OfflineCollector(captures), cache=FactsCache(tmp_path / "cache"), workers=1)
    assert again["r1"].status == "ok" and again["r1"].info.serial == facts_of(captures).info.serial


# --- the capture folder as a whole -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_captures_option_that_is_no_folder_exits_2(kind: str, tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    if kind == "file":
        captures.write_text("not a folder\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["audit", str(EXAMPLE), "--captures", str(captures), "--out", str(out)])
    assert result.exit_code == 2
    assert f"--captures {captures}" in result.stderr
    assert not (out / "history.sqlite").exists()  # refused before any store is touched


def test_whatif_checks_its_captures_option_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["whatif", str(EXAMPLE), "--captures", str(tmp_path / "nope"),
                                      "--cancel", "x"])
    assert result.exit_code == 2 and "no such folder" in result.stderr


def test_an_audit_without_captures_says_so_unless_asked(tmp_path: Path) -> None:
    refused = CliRunner().invoke(app, ["audit", str(EXAMPLE), "--out", str(tmp_path / "a")])
    assert refused.exit_code == 2
    assert "no --captures" in refused.stderr and "--inventory-only" in refused.stderr
    asked = CliRunner().invoke(app, ["audit", str(EXAMPLE), "--inventory-only", "--out", str(tmp_path / "b"),
                                     "--today", "2026-01-01", "--quiet"])
    assert asked.exit_code == 0, asked.stderr
    both = CliRunner().invoke(app, ["audit", str(EXAMPLE), "--inventory-only", "--captures", str(tmp_path),
                                    "--out", str(tmp_path / "c")])
    assert both.exit_code == 2 and "exclude each other" in both.stderr


def test_the_pipeline_refuses_a_missing_captures_folder(tmp_path: Path) -> None:
    from core.errors import CaptureError
    from netcensus.pipeline import prepare

    with pytest.raises(CaptureError, match="no such folder"):
        prepare(EXAMPLE, tmp_path / "nope")


# --- truncated outputs ------------------------------------------------------------------------

#: ntc-templates' real outputs per (platform, kind) of a record listing.
LISTINGS = {
    ("cisco_ios", "show interfaces"): "cisco_ios/show_interfaces",
    ("cisco_ios", "show cdp neighbors detail"): "cisco_ios/show_cdp_neighbors_detail",
    ("cisco_ios", "show lldp neighbors detail"): "cisco_ios/show_lldp_neighbors_detail",
    ("cisco_nxos", "show interface"): "cisco_nxos/show_interface",
    ("cisco_nxos", "show cdp neighbors detail"): "cisco_nxos/show_cdp_neighbors_detail",
    ("cisco_nxos", "show lldp neighbors detail"): "cisco_nxos/show_lldp_neighbors_detail",
    ("arista_eos", "show interfaces"): "arista_eos/show_interfaces",
    ("arista_eos", "show lldp neighbors detail"): "arista_eos/show_lldp_neighbors_detail",
    ("huawei", "display interface"): "huawei_vrp/display_interface",
    ("huawei", "display lldp neighbor"): "huawei_vrp/display_lldp_neighbor",
    ("hp_comware", "display interface"): "hp_comware/display_interface",
    ("hp_comware", "display lldp neighbor-information verbose"):
        "hp_comware/display_lldp_neighbor-information_verbose",
    ("juniper_junos", "show interfaces"): "juniper_junos/show_interfaces",
}
REAL_LISTINGS = [(platform, command, path) for (platform, command), folder in LISTINGS.items()
                 for path in sorted((FIXTURES / folder).glob("*.raw"))]


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def test_the_real_corpus_is_there() -> None:
    assert len(REAL_LISTINGS) >= 80, "tests/fixtures/ntc-templates is missing or incomplete"


@pytest.mark.parametrize("platform, command, path", REAL_LISTINGS, ids=[p.name for _, _, p in REAL_LISTINGS])
def test_every_complete_real_listing_reads_complete(platform: str, command: str, path: Path) -> None:
    kind = next(c.kind for c in PLATFORMS[platform].commands if c.command == command)
    assert incomplete_reason(platform, kind, command, _read(path)) is None


CASE_OUTPUTS = [(case.parent.name, cmd, case / command_filename(cmd.command))
                for case in sorted(CASES.glob("*/*")) if case.is_dir() and case.name != "tmp_leftover"
                for cmd in PLATFORMS[case.parent.name].commands if (case / command_filename(cmd.command)).is_file()]


def test_every_complete_case_output_reads_complete() -> None:
    alarms = [f"{path}: {reason}" for platform, cmd, path in CASE_OUTPUTS
              if (reason := incomplete_reason(platform, cmd.kind, cmd.command, _read(path)))
              and not path.parent.name.startswith(("nothing_parses", "garbage"))]
    assert len(CASE_OUTPUTS) > 100 and not alarms


#: Real listings with records enough to judge a cut one: at least two earlier records of
#: its kind. (Junos text ``show interfaces`` is left out: its records differ too much from
#: one interface to the next to tell a cut one; its preferred JSON form fails to load when cut.)
CUT_LISTINGS = {
    "cisco_ios": ("show interfaces", "cisco_ios/show_interfaces/cisco_ios_show_interfaces4.raw"),
    "cisco_nxos": ("show interface", "cisco_nxos/show_interface/cisco_nxos_show_interface4.raw"),
    "arista_eos": ("show interfaces", "arista_eos/show_interfaces/arista_eos_show_interfaces_portchannel.raw"),
    "huawei": ("display interface", "huawei_vrp/display_interface/huawei_vrp_display_interface1.raw"),
    "hp_comware": ("display interface", "hp_comware/display_interface/hp_comware_display_interface10.raw"),
}


def _cut_inside_a_record(platform: str, command: str, text: str, fraction: float, mid_line: bool) -> str:
    """The text cut inside the last record that has two earlier records of its kind: after
    ``fraction`` of its lines, and in the middle of the next line when ``mid_line``."""
    from collectors.completeness import _RECORD_START

    start = _RECORD_START[(platform, command)]
    lines = text.rstrip("\n").split("\n")
    heads = [(i, next(g for g in m.groups() if g)) for i, line in enumerate(lines) if (m := start.match(line))]
    kind = [re.sub(r"[\d/:.]+", "", name) for _, name in heads]
    chosen = max(n for n in range(len(heads)) if kind[:n].count(kind[n]) >= 2)
    first = heads[chosen][0]
    end = heads[chosen + 1][0] if chosen + 1 < len(heads) else len(lines)
    body = [i for i in range(first + 1, end) if lines[i].strip()]
    keep = body[min(len(body) - 2, int(len(body) * fraction))]
    tail = [lines[keep + 1][: max(1, len(lines[keep + 1]) // 2)]] if mid_line else []
    return "\n".join(lines[: keep + 1] + tail)


@pytest.mark.parametrize("platform", sorted(CUT_LISTINGS))
@pytest.mark.parametrize("fraction, mid_line", [(0.3, False), (0.6, True), (0.9, False)])
def test_an_interface_listing_cut_short_reads_partial(platform: str, fraction: float, mid_line: bool) -> None:
    command, fixture = CUT_LISTINGS[platform]
    text = _read(FIXTURES / fixture)
    assert incomplete_reason(platform, "interfaces", command, text) is None
    cut = _cut_inside_a_record(platform, command, text, fraction, mid_line)
    assert incomplete_reason(platform, "interfaces", command, cut), cut[-300:]


def _case_outputs(platform: str) -> dict[str, str]:
    folder = CASES / FULL_CASE[platform]
    return {c.command: (folder / command_filename(c.command)).read_text(encoding="utf-8")
            for c in PLATFORMS[platform].commands if (folder / command_filename(c.command)).is_file()}


@pytest.mark.parametrize("platform", ["cisco_ios", "arista_eos", "huawei", "hp_comware", "juniper_junos"])
def test_a_configuration_cut_mid_line_reads_partial_and_keeps_what_it_holds(platform: str) -> None:
    from collectors.base import RawOutputs

    outputs = _case_outputs(platform)
    command = PLATFORMS[platform].command("config")[0].command
    whole = parse_outputs(RawOutputs("r1", platform, dict(outputs)))
    assert whole.status == "ok"
    text = outputs[command]
    outputs[command] = text[: int(len(text) * 0.6)]
    if outputs[command].endswith("\n"):
        outputs[command] = outputs[command][:-3]
    facts = parse_outputs(RawOutputs("r1", platform, outputs))
    assert facts.status == "partial"
    assert [p.reason for p in facts.problems if p.command == command] == ["incomplete"]
    if platform != "juniper_junos":  # the Junos reader refuses unclosed blocks: nothing is kept
        assert facts.config and facts.info.hostname == whole.info.hostname  # what it holds still counts


def test_a_cut_interface_listing_through_the_parser_keeps_the_interfaces_read(tmp_path: Path) -> None:
    captures = capture_folder(tmp_path / "captures")
    listing = captures / "r1" / "show_interfaces.txt"
    whole = facts_of(captures)
    cut = _cut_inside_a_record("cisco_ios", "show interfaces", listing.read_text(encoding="utf-8"), 0.5, True)
    listing.write_text(cut, encoding="utf-8")
    facts = facts_of(captures)
    assert facts.status == "partial"
    assert problem(facts, "show interfaces").startswith("incomplete: ")
    assert len(facts.interfaces) >= len(whole.interfaces) - 1


@pytest.mark.parametrize("text", [
    "system {\n    host-name r1;\n}\ninterfaces {\n    ge-0/0/0 {\n        description \"to core",
    "set system host-name r1\nset interfaces ge-0/0/0 description \"uplink to",
])
def test_a_junos_configuration_cut_short_is_seen(text: str) -> None:
    assert incomplete_reason("juniper_junos", "config", "show configuration", text)


def test_junos_braces_inside_quotes_and_comments_do_not_count() -> None:
    text = ('## Last commit: 2026-01-01 by admin\nsystem {\n    host-name r1;\n    login {\n'
            '        message "welcome { to r1";\n    }\n}\n/* { annotation */\n')
    assert incomplete_reason("juniper_junos", "config", "show configuration", text) is None


# --- terminal artefacts and encodings ---------------------------------------------------------

#: The pager prompts and erasers devices print, as a raw session log holds them.
PAGERS = {
    "cisco_ios": " --More-- " + "\b" * 10 + " " * 10 + "\b" * 10,
    "arista_eos": " --More-- " + "\b" * 10 + " " * 10 + "\b" * 10,
    "cisco_nxos": "\x1b[7m--More--\x1b[m\r        \r",
    "huawei": "  ---- More ----\x1b[42D                                          \x1b[42D",
    "hp_comware": "  ---- More ----\x1b[16D                \x1b[16D",
    "juniper_junos": "---(more 27%)---\r                                        \r",
}


def _paged(text: str, pager: str, every: int = 7) -> str:
    """The output as a terminal log holds it when paging was left on: a prompt every
    ``every`` lines, erased before the next line, CRLF line ends, a colour code or two."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        line = line.replace(" up", " \x1b[32mup\x1b[0m", 1)
        out.append((pager if i and i % every == 0 else "") + line)
    return "\r\n".join(out)


@pytest.mark.parametrize("platform", sorted(PAGERS))
def test_pager_prompts_and_escape_codes_do_not_reach_the_parsers(platform: str, tmp_path: Path) -> None:
    clean = capture_folder(tmp_path / "clean", platform)
    paged = capture_folder(tmp_path / "paged", platform)
    for file in (paged / "r1").iterdir():
        if not file.name.endswith("json.txt"):
            file.write_bytes(_paged(file.read_text(encoding="utf-8"), PAGERS[platform]).encode("utf-8"))
    expected = facts_of(clean, platform=platform)
    got = facts_of(paged, platform=platform)
    assert got.status == expected.status == "ok", got.problems
    assert got.interfaces == expected.interfaces and got.neighbours == expected.neighbours
    assert got.info == expected.info
    assert "More" not in (got.config or "") and "\x1b" not in (got.config or "") and "\b" not in (got.config or "")


def test_clean_output_leaves_ordinary_text_alone() -> None:
    text = "interface Gi0/1\n description more than -- one -- word\n!\nend\n"
    assert clean_output(text) == text


#: Real Chinese descriptions, as city departments write them.
CHINESE = ("至市财政局核心交换机", "教育局机房上联（主）", "卫健委-数据中心专线 2M")


def test_gbk_chinese_outputs_are_decoded_not_replaced(tmp_path: Path) -> None:
    captures = capture_folder(tmp_path / "captures", "huawei")
    folder = captures / "r1"
    listing = (folder / "display_interface.txt").read_text(encoding="utf-8")
    names = [m.group(1) for m in re.finditer(r"^(\S+) current state", listing, re.MULTILINE)][:3]
    for name, words in zip(names, CHINESE, strict=True):
        listing = re.sub(rf"(?m)^({re.escape(name)} current state.*\n(?:.*\n)*?)Description:.*$",
                         lambda m, w=words: f"{m.group(1)}Description:{w}", listing, count=1)
    (folder / "display_interface.txt").write_bytes(listing.encode("gbk"))
    config = (folder / "display_current-configuration.txt").read_text(encoding="utf-8")
    config = config.replace("sysname ", "header login information \"欢迎 访问\"\nsysname ", 1)
    (folder / "display_current-configuration.txt").write_bytes(config.encode("gb18030"))
    raw = OfflineCollector(captures).collect(device("r1", "huawei"))
    assert raw.encodings == {"display interface": "gb18030", "display current-configuration": "gb18030"}
    facts = parse_outputs(raw)
    descriptions = {itf.name: itf.description for itf in facts.interfaces}
    assert [descriptions.get(name) for name in names] == list(CHINESE)
    assert "欢迎 访问" in (facts.config or "")
    assert "\ufffd" not in json.dumps(dataclasses.asdict(facts), ensure_ascii=False)


@pytest.mark.parametrize("words, codec, expected", [
    ("至市财政局核心交换机", "gbk", "gb18030"),
    ("卫健委-数据中心专线", "gb2312", "gb18030"),
    ("至张喆办公室", "gbk", "gb18030"),  # 喆 is outside GB2312: still GBK, not Big5
    ("镕基楼机房", "gbk", "gb18030"),  # these bytes read as Big5 too, as nonsense
    ("市政府機房上聯交換機", "big5", "big5"),
    ("台北市政府資訊局核心", "big5", "big5"),
    ("教育局網路中心", "big5", "big5"),
    ("中華電信 專線", "big5", "big5"),
    ("核心交换机", "utf-8", "utf-8"),
    ("核心交换机", "utf-8-sig", "utf-8"),
    ("核心交换机", "utf-16", "utf-16"),
])
def test_decoding_names_the_codec_and_keeps_the_text(words: str, codec: str, expected: str) -> None:
    data = f" description {words}\n".encode(codec)
    assert decode_output(data) == (f" description {words}\n", expected)


def test_undecodable_bytes_are_replaced_and_said() -> None:
    text, codec = decode_output(b"description \xff\xfe\xff broken\n")
    assert codec == "utf-8 (replaced)" and "broken" in text
