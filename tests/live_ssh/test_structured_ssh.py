"""Structured output over real SSH: JSON first, the text command only when the device needs it.

One Arista EOS device, served three ways from the parser case ``arista_eos/full``: new
software that answers ``| json``; older software that rejects it (the emulator answers
``% Invalid input`` to a command it has no file for), so the survey must fall back to the
text commands; and software whose JSON answers come back truncated. The same device must
give the same facts every way, and a rejected ``| json`` is no problem of the survey.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from sshdevices import CASES, ENV, emulated, inventory_for

from collectors.offline import OfflineCollector
from collectors.parse import parse_outputs
from core.platforms import PLATFORMS, command_filename
from inventory.model import Device
from netcensus.collect import CollectOptions, collect

pytestmark = pytest.mark.ssh

FAST = dict(connect_timeout_s=4.0, command_timeout_s=8.0, retries=0, backoff_s=0.1, host_keys="off")
CASE = CASES / "arista_eos" / "full"
EOS = PLATFORMS["arista_eos"]
JSON_COMMANDS = [c.command for c in EOS.commands if c.template == "json"]
#: The text command a survey types when ``| json`` is unusable: the first stand-in of each
#: group (weaker forms after it, such as ``show ip interface brief``, are typed only when it fails).
TEXT_FALLBACKS = [group[1].command for group in EOS.groups if len(group) > 1]


def _observed(facts):
    """What a device was seen to be, without the evidence labels (which name the command read)."""
    return (facts.info,
            tuple(replace(i, sources=()) for i in facts.interfaces),
            tuple(replace(n, source="") for n in facts.neighbours))


def _serve(folder: Path, keep_json: bool, truncate_json: bool = False) -> Path:
    """A capture folder of the case; without JSON files the device behaves like older EOS."""
    folder.mkdir(parents=True)
    for path in CASE.glob("*.txt"):
        is_json = path.name.endswith("_json.txt")
        if is_json and not keep_json:
            continue
        text = path.read_text(encoding="utf-8")
        if is_json and truncate_json:
            text = text[: len(text) // 2]  # a JSON answer cut short
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory):
    """Collect the three devices once; yields (run, capture folder)."""
    from support.emulator import Emulator

    root = tmp_path_factory.mktemp("structured")
    devices = [
        emulated(_serve(root / "served" / "eos-new", keep_json=True), "arista_eos", name="eos-new"),
        emulated(_serve(root / "served" / "eos-old", keep_json=False), "arista_eos", name="eos-old"),
        emulated(_serve(root / "served" / "eos-cut", keep_json=True, truncate_json=True), "arista_eos",
                 name="eos-cut"),
    ]
    out = root / "captures"
    with Emulator(devices) as emu:
        inventory = inventory_for({d.name: ("arista_eos", emu.port(d.name), "netmiko") for d in devices})
        run = collect(inventory, out, CollectOptions(workers=3, **FAST), Console(file=io.StringIO()), env=ENV)
    yield run, out


def _offline(name: str, captures: Path):
    device = Device(name=name, host="192.0.2.10", platform="arista_eos", department="test", site="test")
    return parse_outputs(OfflineCollector(captures).collect(device))


def test_json_capable_device_answers_in_json_and_text_is_never_typed(survey) -> None:
    run, out = survey
    record = run.manifest.devices["eos-new"]
    assert record.status == "ok" and not record.problems, record
    assert sorted(record.files) == sorted(command_filename(c) for c in [*JSON_COMMANDS, "show running-config"])
    for command in TEXT_FALLBACKS:
        assert not (out / "eos-new" / command_filename(command)).exists(), command


def test_older_device_rejecting_json_is_surveyed_through_the_text_commands(survey) -> None:
    run, out = survey
    record = run.manifest.devices["eos-old"]
    assert record.status == "ok" and not record.problems, record  # the rejection is expected, not a failure
    for command in JSON_COMMANDS:  # what the device said is kept, as every answer is
        assert "% Invalid input" in (out / "eos-old" / command_filename(command)).read_text()
    for command in TEXT_FALLBACKS:
        served = (CASE / command_filename(command)).read_text()
        assert (out / "eos-old" / command_filename(command)).read_text().strip() == served.strip()


def test_the_same_device_gives_the_same_facts_in_json_and_in_text(survey) -> None:
    run, _out = survey
    new, old = run.facts["eos-new"], run.facts["eos-old"]
    assert new.info.hostname == "dist-eos1" and new.info.serial == "JPE21093517"
    assert len(new.interfaces) == 6 and len(new.neighbours) == 2
    assert _observed(new) == _observed(old)
    case = _offline("full", CASE.parent)
    assert (new.info, new.interfaces, new.neighbours) == (case.info, case.interfaces, case.neighbours)


def test_a_truncated_json_answer_is_reported_and_the_text_fallback_saves_the_facts(survey) -> None:
    run, out = survey
    cut, new = run.facts["eos-cut"], run.facts["eos-new"]
    assert cut.status == "partial"
    recorded = run.manifest.devices["eos-cut"].problems  # the manifest names each broken JSON command
    assert sorted(problem.split(":")[0] for problem in recorded) == sorted(JSON_COMMANDS)
    broken = {p.command for p in cut.problems}
    assert broken == set(JSON_COMMANDS) and all(p.reason == "parse_error" for p in cut.problems)
    assert _observed(cut) == _observed(new)
    for command in TEXT_FALLBACKS:
        assert (out / "eos-cut" / command_filename(command)).is_file(), command


def test_live_captures_read_back_offline_to_the_same_facts(survey) -> None:
    run, out = survey
    for name in ("eos-new", "eos-old", "eos-cut"):
        offline = _offline(name, out)
        live = run.facts[name]
        assert (offline.status, offline.info, offline.interfaces, offline.neighbours, offline.problems) == (
            live.status, live.info, live.interfaces, live.neighbours, live.problems), name

