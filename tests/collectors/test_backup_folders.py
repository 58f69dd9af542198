"""Configuration backup folders (Oxidized, RANCID) audited as they are handed in.

A department often hands in its backup folder, not shell access: one configuration file
per device, named after it. ``netcensus audit INV --captures BACKUPDIR`` must find each
declared device's file and read it as that device's configuration, with facts that say
the evidence is configuration only and a status that does not alarm a planner.
The configurations are the real ones of ``cases/``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from capture_helpers import make_device
from typer.testing import CliRunner

import collectors.offline as offline
from collectors.base import RawOutputs
from collectors.offline import OfflineCollector, without_rancid_header
from collectors.parse import parse_outputs
from collectors.redact import redact_config
from core.platforms import PLATFORMS, command_filename
from netcensus.cache import FactsCache
from netcensus.cli import app
from netcensus.pipeline import collect_facts

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
EXAMPLE = REPO / "examples" / "inventory"

#: A real configuration per platform (the case folders' complete captures).
CONFIG_CASE = {
    "cisco_ios": "cisco_ios/full", "cisco_nxos": "cisco_nxos/text_only", "arista_eos": "arista_eos/text_only",
    "juniper_junos": "juniper_junos/text_only", "huawei": "huawei/full", "hp_comware": "hp_comware/cw7_full",
}


def config_command(platform: str) -> str:
    return PLATFORMS[platform].command("config")[0].command


def real_config(platform: str) -> str:
    return (CASES / CONFIG_CASE[platform] / command_filename(config_command(platform))).read_text(encoding="utf-8")


device = make_device


def backup(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("platform", sorted(CONFIG_CASE))
def test_an_oxidized_file_is_read_as_the_devices_configuration(platform: str, tmp_path: Path) -> None:
    text = real_config(platform)
    backup(tmp_path / "oxidized" / "r1", text)
    raw = OfflineCollector(tmp_path / "oxidized").collect(device("r1", platform))
    assert raw.outputs == {config_command(platform): text}
    assert raw.status == "ok" and raw.problems == ()
    facts = parse_outputs(raw)
    assert facts.config == redact_config(platform, text)
    assert facts.read == (config_command(platform),)  # the evidence: configuration only
    assert facts.status == "ok", facts.problems  # nothing missing: only a configuration was expected
    # the facts are exactly what the configuration gives, whatever the config readers read
    alone = parse_outputs(RawOutputs("r1", platform, {config_command(platform): text}))
    assert (facts.info, facts.interfaces) == (alone.info, alone.interfaces)


@pytest.mark.parametrize("relative", [
    "r1", "R1", "r1.cfg", "R1.CONF", "r1.txt",  # Oxidized, flat
    "finance/r1", "Finance/R1.cfg",  # Oxidized with groups
    "finance/configs/r1", "core/configs/R1",  # RANCID
])
def test_the_file_is_found_by_name_case_insensitively_in_every_layout(relative: str, tmp_path: Path) -> None:
    text = real_config("cisco_ios")
    path = backup(tmp_path / "backups" / relative, text)
    collector = OfflineCollector(tmp_path / "backups")
    assert collector.backup_files(device("r1")) == [str(path)]
    raw = collector.collect(device("r1"))
    assert raw.outputs == {"show running-config": text} and raw.status == "ok"


def only_comments_dropped(text: str, kept: str, comment: str) -> bool:
    """``kept`` is ``text`` without some of its first lines, all comments or blank."""
    dropped = text[: len(text) - len(kept)]
    return text.endswith(kept) and all(not line.strip() or line.lstrip().startswith(comment)
                                       for line in dropped.splitlines())


def test_rancid_header_lines_are_left_out(tmp_path: Path) -> None:
    text = real_config("cisco_ios")
    header = ("!RANCID-CONTENT-TYPE: cisco\n!\n!Chassis type: WS-C3750X-48P - a 3750X switch\n"
              "!CPU: PowerPC405, FastEthernet, Gigabit Ethernet\n!\n!Memory: main 262144K/131072K\n"
              "!Serial: FDO1234X0AB\n!\n")
    backup(tmp_path / "rancid" / "city" / "configs" / "r1", header + text)
    raw = OfflineCollector(tmp_path / "rancid").collect(device("r1"))
    kept = raw.outputs["show running-config"]
    assert "RANCID" not in kept and "Chassis type" not in kept and "FDO1234X0AB" not in kept
    assert only_comments_dropped(text, kept, "!")
    assert parse_outputs(raw).status == "ok"


def test_a_junos_rancid_header_is_left_out_too() -> None:
    text = real_config("juniper_junos")
    header = "#RANCID-CONTENT-TYPE: juniper\n#\n# Chassis                                MX204\n#\n"
    kept = without_rancid_header(header + text)
    assert only_comments_dropped(text, kept, "#") and kept.startswith("version ")
    assert without_rancid_header(text) == text  # no RANCID mark: nothing removed


def test_a_capture_folder_wins_over_a_backup_file(tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    shutil.copytree(CASES / "cisco_ios" / "full", captures / "r1", ignore=shutil.ignore_patterns("expected.json"))
    backup(captures / "finance" / "r1.cfg", "hostname from-the-backup\n!\nend\n")
    raw = OfflineCollector(captures).collect(device("r1"))
    assert len(raw.outputs) > 1 and "from-the-backup" not in raw.outputs["show running-config"]


def test_two_backups_of_one_device_are_an_error_naming_both(tmp_path: Path) -> None:
    first = backup(tmp_path / "b" / "finance" / "r1", real_config("cisco_ios"))
    second = backup(tmp_path / "b" / "health" / "configs" / "R1.cfg", real_config("cisco_ios"))
    raw = OfflineCollector(tmp_path / "b").collect(device("r1"))
    assert raw.status == "error" and str(first) in raw.error and str(second) in raw.error


def test_a_device_without_folder_or_backup_is_missing_and_says_where_it_looked(tmp_path: Path) -> None:
    backup(tmp_path / "b" / "r2", real_config("cisco_ios"))
    raw = OfflineCollector(tmp_path / "b").collect(device("r1"))
    assert raw.status == "missing" and "r1" in raw.error and "backup" in raw.error


def test_capture_files_of_other_devices_are_never_taken_for_a_backup(tmp_path: Path) -> None:
    """A Linux capture folder holds ``hostname.txt``: it is no backup of a device called "hostname"."""
    shutil.copytree(CASES / "linux" / "full", tmp_path / "captures" / "srv1",
                    ignore=shutil.ignore_patterns("expected.json"))
    (tmp_path / "captures" / "manifest.json").write_text("{}", encoding="utf-8")
    collector = OfflineCollector(tmp_path / "captures")
    assert collector.collect(device("hostname")).status == "missing"
    assert collector.collect(device("manifest")).status == "missing"


def test_a_hostile_backup_file_is_refused_for_that_device(tmp_path: Path, no_hang: None) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    os.mkfifo(folder / "r1")
    outside = backup(tmp_path / "secret.cfg", "hostname leaked\n!\nend\n")
    (folder / "r2.cfg").symlink_to(outside)
    collector = OfflineCollector(folder)
    fifo = collector.collect(device("r1"))
    assert fifo.status == "error" and "FIFO" in fifo.error and str(folder / "r1") in fifo.error
    linked = collector.collect(device("r2"))
    assert linked.status == "error" and "outside the capture folder" in linked.error and not linked.outputs


def test_a_platform_without_configuration_cannot_be_read_from_a_backup(tmp_path: Path) -> None:
    backup(tmp_path / "b" / "srv1", "some text\n")
    raw = OfflineCollector(tmp_path / "b").collect(device("srv1", "linux"))
    assert raw.status == "error" and "no configuration" in raw.error


def test_a_cut_backup_reads_partial(tmp_path: Path) -> None:
    text = real_config("huawei")
    backup(tmp_path / "b" / "r1.cfg", text[: len(text) // 2])
    facts = parse_outputs(OfflineCollector(tmp_path / "b").collect(device("r1", "huawei")))
    assert facts.status == "partial"
    assert [p.reason for p in facts.problems] == ["incomplete"]


def test_a_changed_backup_is_read_again_with_the_facts_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offline, "SETTLED_S", 0.0)
    path = backup(tmp_path / "b" / "r1", real_config("cisco_ios"))
    inventory = type("Inv", (), {"devices": {"r1": device()}})()
    first = collect_facts(inventory, OfflineCollector(tmp_path / "b"), cache=FactsCache(tmp_path / "c"), workers=1)
    path.write_text(real_config("cisco_ios").replace("hostname ", "hostname renamed-", 1), encoding="utf-8")
    again = collect_facts(inventory, OfflineCollector(tmp_path / "b"), cache=FactsCache(tmp_path / "c"), workers=1)
    assert first["r1"].info.hostname and again["r1"].info.hostname == "renamed-" + first["r1"].info.hostname


def test_an_audit_of_an_oxidized_folder_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "oxidized"
    backup(folder / "civic" / "QS-DC-CORE1", real_config("cisco_ios"))
    backup(folder / "civic" / "qs-dc-core2.cfg", real_config("huawei"))
    backup(folder / "edu" / "configs" / "edu-core1", "!RANCID-CONTENT-TYPE: h3c\n!\n" + real_config("hp_comware"))
    result = CliRunner().invoke(app, ["audit", str(EXAMPLE), "--captures", str(folder), "--out", str(tmp_path / "out"),
                                      "--today", "2026-01-01", "--quiet"])
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "netcensus-report.json").read_text(encoding="utf-8"))
    status = {d["device"]: (d["status"], d["problems"]) for d in report["collection"]}
    for name in ("qs-dc-core1", "qs-dc-core2", "edu-core1"):
        assert status[name] == ("ok", []), status[name]
    assert status["health-core1"][0] == "missing"
