"""The command line: exit codes, clear errors on bad input, no tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netcensus.cli import app
from netcensus.sample import SampleCity

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "inventory"


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result


def test_validate_accepts_the_example() -> None:
    result = run("validate", str(EXAMPLE))
    assert result.exit_code == 0 and "valid" in result.stdout


def test_validate_reports_five_mistakes_with_file_and_line(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    shutil.copytree(EXAMPLE, inv)
    (inv / "broken.yaml").write_text(
        "sites:\n"
        "  - id: s-x\n"
        "    name: X\n"
        "    district: D\n"
        "    colour: red\n"                       # 1 unknown key (line 5)
        "devices:\n"
        "  - name: dx\n"
        "    host: 192.0.2.99\n"
        "    platform: ios\n"                     # 2 unknown platform (line 9)
        "    department: nobody\n"                # 3 unknown department (line 10)
        "    site: s-x\n"
        "    password: hunter2\n",                # 4 a credential in the inventory (line 12)
        encoding="utf-8")
    (inv / "syntax.yaml").write_text("rooms:\n  - id: r\n    site: [unclosed\n", encoding="utf-8")  # 5 YAML syntax
    result = run("validate", str(inv))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(lines) == 5, result.stderr
    text = "\n".join(lines)
    for where in ("broken.yaml:5", "broken.yaml:9", "broken.yaml:10", "broken.yaml:12", "syntax.yaml:"):
        assert where in text
    assert "hunter2" not in result.output + result.stderr


@pytest.mark.parametrize("args, message", [
    (("validate", "/nonexistent/inventory"), "/nonexistent/inventory"),
    (("audit", str(EXAMPLE), "--fail-on", "urgent"), "unknown severity 'urgent'"),
    (("audit", str(EXAMPLE), "--format", "xml"), "--format must be terminal or json"),
    (("audit", str(EXAMPLE), "--lang", "fr"), "--lang must be en or zh"),
    (("audit", str(EXAMPLE), "--select", "XYZ999"), "unknown check or family 'XYZ999'"),
    (("audit", str(EXAMPLE), "--today", "yesterday"), "yesterday"),
    (("audit", str(EXAMPLE), "--collect"), "--collect needs --captures"),
    (("whatif", str(EXAMPLE)), "at least one --cancel"),
    (("diff", "1", "2", "--store", "/nonexistent/h.sqlite"), "no history store"),
])
def test_bad_input_exits_2_with_a_clear_message(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    result = run(*args, *(("--out", str(tmp_path)) if args[0] == "audit" else ()))
    assert result.exit_code == 2
    assert message in result.stderr


def test_checks_lists_every_code() -> None:
    result = run("checks")
    assert result.exit_code == 0
    for code in ("INV001", "INV003", "LIN001", "LIN003", "ROM001", "ADR001", "CON002", "GOV003"):
        assert code in result.stdout


def test_fail_on_sets_exit_1_for_open_findings(sample_city: SampleCity, tmp_path: Path) -> None:
    common = ("audit", str(sample_city.inventory_dir), "--captures", str(sample_city.captures_dir),
              "--today", "2025-06-30", "--quiet")
    assert run(*common, "--out", str(tmp_path / "a"), "--fail-on", "high").exit_code == 1
    assert run(*common, "--out", str(tmp_path / "b"), "--fail-on", "critical").exit_code == 0
    assert run(*common, "--out", str(tmp_path / "c"), "--select", "GOV003", "--fail-on", "high").exit_code == 0


def test_audit_writes_every_report(sample_city: SampleCity, tmp_path: Path) -> None:
    result = run("audit", str(sample_city.inventory_dir), "--captures", str(sample_city.captures_dir),
                 "--out", str(tmp_path), "--lang", "zh", "--today", "2025-06-30")
    assert result.exit_code == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"netcensus-report.json", "netcensus-report-zh.html", "netcensus-report-zh.md",
            "netcensus-findings-zh.csv", "netcensus-graph.graphml", "history.sqlite"} <= names
    assert not [n for n in names if n.startswith(".rendering-")]  # no staging folder left behind
    assert "Reports written to" in result.stdout
    report = json.loads((tmp_path / "netcensus-report.json").read_text(encoding="utf-8"))
    assert report["run"]["id"] == 1


def test_sample_command_writes_a_city(tmp_path: Path) -> None:
    too_small = run("sample", str(tmp_path / "tiny"), "--devices", "40")
    assert too_small.exit_code == 2 and "at least" in too_small.stderr
    result = run("sample", str(tmp_path / "city"), "--devices", "90", "--seed", "3")
    assert result.exit_code == 0
    assert (tmp_path / "city" / "planted.json").is_file()
    assert run("validate", str(tmp_path / "city" / "inventory")).exit_code == 0


def test_whatif_exit_codes(sample_city: SampleCity) -> None:
    from inventory.loader import load_inventory

    plan = json.loads(sample_city.planted_path.read_text(encoding="utf-8"))
    base = ("whatif", str(sample_city.inventory_dir), "--captures", str(sample_city.captures_dir), "--format", "json")
    redundant = next(p["subjects"][0] for p in plan["findings"] if p["code"] == "LIN003")
    safe = run(*base, "--cancel", redundant)
    assert safe.exit_code == 0
    answer = json.loads(safe.stdout)
    assert answer["safe"] is True and [c["circuit"] for c in answer["circuits"]] == [redundant]
    assert answer["yearly_saving_cny"] > 0

    island = next(p["subjects"][0] for p in plan["findings"] if p["code"] == "CON001")
    fragile = next(p["subjects"][0] for p in plan["findings"] if p["code"] == "CON002")
    inv = load_inventory(sample_city.inventory_dir)
    only_line = next(c.id for c in inv.circuits.values() if fragile in (c.a.site, c.z.site))
    cut = run(*base, "--cancel", only_line)
    assert cut.exit_code == 1
    assert fragile in {s["site"] for s in json.loads(cut.stdout)["new_islands"]} - {island}

    unknown = run(*base, "--cancel", "NO-SUCH-LINE")
    assert unknown.exit_code == 2 and "NO-SUCH-LINE" in unknown.stderr


def test_survey_round_trip_and_nornir_and_ansible_exports_through_the_cli(tmp_path: Path) -> None:
    from inventory.loader import load_inventory

    assert run("export-survey", str(EXAMPLE), "--out", str(tmp_path / "wb"), "--lang", "zh").exit_code == 0
    books = sorted(str(p) for p in (tmp_path / "wb").glob("*.xlsx"))
    assert books
    assert run("import-survey", *books, "--out", str(tmp_path / "inv")).exit_code == 0
    again, original = load_inventory(tmp_path / "inv"), load_inventory(EXAMPLE)
    assert again.circuits == original.circuits and again.devices == original.devices
    assert run("export", "nornir", str(EXAMPLE), str(tmp_path / "nornir")).exit_code == 0
    hosts = (tmp_path / "nornir" / "hosts.yaml").read_text(encoding="utf-8")
    assert all(name in hosts for name in original.devices) and "password" not in hosts.lower()
    assert run("export", "ansible", str(EXAMPLE), str(tmp_path / "ansible" / "hosts.yml")).exit_code == 0
    from exchange import import_ansible

    assert {d.name: d for d in import_ansible(tmp_path / "ansible" / "hosts.yml").devices} == original.devices
    bad = run("import-survey", str(tmp_path / "nope.xlsx"), "--out", str(tmp_path / "inv2"))
    assert bad.exit_code == 2 and "nope.xlsx" in bad.stderr
