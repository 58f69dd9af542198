"""The command line against hostile inventories, failed collections, killed runs, and its help."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netcensus.cli import app
from netcensus.sample import SampleCity

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "inventory"
LIVE_OPTIONS = ("--accept-new-host-keys", "--no-host-key-check", "--known-hosts", "--credentials-file",
                "--connect-timeout", "--command-timeout", "--workers", "--max-failed")
ENV = {"NETCENSUS_DEFAULT_USERNAME": "surveyor", "NETCENSUS_DEFAULT_PASSWORD": "not-a-real-one"}


def run(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(app, list(args), env=env)
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result


def _closed_ports(n: int) -> list[int]:
    """Ports on 127.0.0.1 nobody listens on (bound, then released)."""
    import socket

    ports = []
    for _ in range(n):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    return ports


@pytest.fixture(scope="module")
def unreachable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-file inventory of two devices whose SSH port refuses connections."""
    folder = tmp_path_factory.mktemp("unreachable")
    devices = "".join(f"  - {{name: gone{i}, host: 127.0.0.1, port: {port}, platform: cisco_ios, "
                      f"department: city, site: hq}}\n" for i, port in enumerate(_closed_ports(2)))
    (folder / "inventory.yaml").write_text(
        "departments:\n  - {id: city, name: City}\nsites:\n  - {id: hq, name: HQ, district: X}\n"
        f"devices:\n{devices}", encoding="utf-8")
    return folder / "inventory.yaml"


@pytest.fixture(scope="module")
def refused_collection(unreachable: Path, tmp_path_factory: pytest.TempPathFactory):
    """``netcensus collect`` of the unreachable devices: (result, capture folder)."""
    captures = tmp_path_factory.mktemp("collected") / "captures"
    result = run("collect", str(unreachable), "--out", str(captures), "--no-host-key-check",
                 "--connect-timeout", "2", env=ENV)
    return result, captures


# --------------------------------------------------------------------------- hostile inventories

def test_a_rejected_inventory_leaves_no_store_files(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    inv.mkdir()
    for file in EXAMPLE.rglob("*.yaml"):
        target = inv / file.relative_to(EXAMPLE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    sites = inv / "sites.yaml"
    text = sites.read_text(encoding="utf-8")
    sites.write_text(re.sub(r"racks_total: \d+", "racks_total: 99999999999999999999999", text, count=1),
                     encoding="utf-8")
    captures = tmp_path / "captures"
    captures.mkdir()
    out, store = tmp_path / "out", tmp_path / "elsewhere" / "h.sqlite"
    result = run("audit", str(inv), "--captures", str(captures), "--out", str(out))
    assert result.exit_code == 2 and "racks_total: must be <= 100000" in result.stderr
    assert not out.exists()  # no history.sqlite, no .lock, no runs folder, no cache
    result = run("audit", str(inv), "--captures", str(captures), "--out", str(out), "--store", str(store))
    assert result.exit_code == 2 and not out.exists() and not store.parent.exists()


def test_validate_lists_two_hundred_problems_then_counts_the_rest(tmp_path: Path) -> None:
    inv = tmp_path / "inv.yaml"
    inv.write_text("departments:\n  - {id: city, name: City}\nsites:\n  - {id: hq, name: HQ, district: X}\n"
                   "devices:\n" + "".join(f"  - {{name: d{i}, host: 192.0.2.1, platform: huawei, "
                                          f"department: nobody, site: hq}}\n" for i in range(500)),
                   encoding="utf-8")
    result = run("validate", str(inv))
    assert result.exit_code == 2
    assert sum(line.startswith("error") for line in result.stderr.splitlines()) == 200
    assert "... and 300 more problems" in result.stderr and "500 problem(s) found." in result.stderr


# --------------------------------------------------------------------------- collection

def test_collect_exits_3_when_devices_failed(refused_collection) -> None:
    result, captures = refused_collection
    assert result.exit_code == 3, result.stderr
    assert "collection degraded" in result.stderr and "gone0 (refused)" in result.stderr
    assert json.loads((captures / "manifest.json").read_text(encoding="utf-8"))["summary"] == {"refused": 2}


def test_collect_within_max_failed_exits_0(unreachable: Path, tmp_path: Path) -> None:
    result = run("collect", str(unreachable), "--out", str(tmp_path / "c"), "--no-host-key-check",
                 "--device", "gone0", "--max-failed", "1", env=ENV)
    assert result.exit_code == 0, result.stderr


def test_reports_show_why_a_device_was_not_collected(refused_collection, unreachable: Path,
                                                    tmp_path: Path) -> None:
    _, captures = refused_collection
    result = run("audit", str(unreachable), "--captures", str(captures), "--out", str(tmp_path), "--quiet")
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "netcensus-report.json").read_text(encoding="utf-8"))
    rows = {row["device"]: row for row in report["collection"]}
    assert {row["status"] for row in rows.values()} == {"refused"}
    assert "connection refused" in rows["gone0"]["error"]
    markdown = (tmp_path / "netcensus-report-en.md").read_text(encoding="utf-8")
    assert "connection refused" in markdown and "no capture" not in markdown


def test_audit_collect_takes_the_collect_options(unreachable: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "known_hosts"
    strict = run("audit", str(unreachable), "--collect", "--captures", str(tmp_path / "c1"),
                 "--out", str(tmp_path / "o1"), "--known-hosts", str(missing), env=ENV)
    assert strict.exit_code == 2 and str(missing) in strict.stderr and "known_hosts" in strict.stderr
    live = run("audit", str(unreachable), "--collect", "--captures", str(tmp_path / "c2"),
               "--out", str(tmp_path / "o2"), "--no-host-key-check", "--connect-timeout", "2",
               "--command-timeout", "5", "--max-failed", "1", "--quiet", env=ENV)
    assert live.exit_code == 3, live.stderr  # both devices refused: more than --max-failed 1
    manifest = json.loads((tmp_path / "c2" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["host_keys"] == "off" and manifest["options"]["connect_timeout_s"] == 2.0


# --------------------------------------------------------------------------- killed runs

def test_the_next_run_removes_staging_left_by_killed_runs(sample_city: SampleCity, tmp_path: Path) -> None:
    out = tmp_path / "out"
    common = ("audit", str(sample_city.inventory_dir), "--captures", str(sample_city.captures_dir),
              "--today", "2025-06-30", "--out", str(out), "--quiet", "--no-cache")
    assert run(*common).exit_code == 0
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    killed = out / f".rendering-{dead.stdout.strip()}-abc123"  # a run that died mid-render
    legacy = out / ".rendering-k2j4h5"  # from a version without the pid in the name
    pending = out / "history.sqlite.runs" / ".pending-0123456789ab.tar.gz"
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as alive:
        try:
            busy = out / f".rendering-{alive.pid}-def456"  # a run with another store, still rendering
            for folder in (killed, legacy, busy):
                folder.mkdir()
                (folder / "netcensus-report.json").write_text("{}", encoding="utf-8")
            pending.write_bytes(b"half an archive")
            result = run(*common)
            assert result.exit_code == 0
            assert not killed.exists() and not legacy.exists() and not pending.exists()
            assert busy.is_dir()  # its writer is alive: not ours to remove
            assert "staging folder(s) left by killed runs" in result.stderr
        finally:
            alive.kill()


# --------------------------------------------------------------------------- help

COMMANDS = ("validate", "sample", "checks", "collect", "audit", "history", "diff", "whatif")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_double_negatives_and_no_bool_values(command: str) -> None:
    result = run(command, "--help", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--no-no-" not in result.stdout and "<bool>" not in result.stdout


def test_top_level_help_has_no_bool_values() -> None:
    result = run("--help", env={"COLUMNS": "200"})
    assert "--version" in result.stdout and "<bool>" not in result.stdout


def test_audit_help_lists_the_choices_and_the_live_options() -> None:
    text = run("audit", "--help", env={"COLUMNS": "200"}).stdout
    for choices in ("terminal|json", "en|zh", "info|low|medium|high|critical", "CODE[,CODE...]"):
        assert choices in text
    collect_text = run("collect", "--help", env={"COLUMNS": "200"}).stdout
    for option in LIVE_OPTIONS:
        assert option in text and option in collect_text


def test_select_and_ignore_take_comma_lists(sample_city: SampleCity, tmp_path: Path) -> None:
    common = ("audit", str(sample_city.inventory_dir), "--captures", str(sample_city.captures_dir),
              "--today", "2025-06-30", "--format", "json")
    unknown = run(*common, "--out", str(tmp_path / "a"), "--select", "GOV003,XYZ999")
    assert unknown.exit_code == 2 and "family 'XYZ999' (" in unknown.stderr  # not 'GOV003,XYZ999'
    chosen = run(*common, "--out", str(tmp_path / "b"), "--select", "GOV003,LIN001", "--select", "ROM001",
                 "--ignore", "LIN001, ROM001")
    assert chosen.exit_code == 0, chosen.stderr
    codes = {f["code"] for f in json.loads(chosen.stdout)["findings"]}
    assert codes == {"GOV003"}, codes
