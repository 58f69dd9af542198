"""`netcensus audit --format json` on the sample city finds exactly what the generator planted."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from inventory.loader import load_inventory
from netcensus.cli import app
from netcensus.sample import SampleCity


@pytest.fixture(scope="module")
def sample_report(sample_city: SampleCity, tmp_path_factory: pytest.TempPathFactory) -> dict:
    planted = json.loads(sample_city.planted_path.read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, [
        "audit", str(sample_city.inventory_dir), "--captures", str(sample_city.captures_dir),
        "--out", str(out), "--format", "json", "--today", planted["today"]])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def planted(city: SampleCity) -> dict:
    return json.loads(city.planted_path.read_text(encoding="utf-8"))


def test_every_planted_case_is_found_and_nothing_else(sample_city: SampleCity, sample_report: dict) -> None:
    expected = {f"{p['code']}:{'|'.join(p['subjects'])}" for p in planted(sample_city)["findings"]}
    found = {f["key"] for f in sample_report["findings"]}
    assert found == expected


def test_every_family_is_planted(sample_city: SampleCity) -> None:
    families = {p["code"][:3] for p in planted(sample_city)["findings"]}
    assert families == {"INV", "LIN", "ROM", "ADR", "CON", "GOV"}


def test_savings_follow_the_inventory(sample_city: SampleCity, sample_report: dict) -> None:
    inv = load_inventory(sample_city.inventory_dir)
    by_key = {f["key"]: f for f in sample_report["findings"]}
    for f in sample_report["findings"]:
        if f["code"] in ("INV003", "LIN003"):  # cancelling a line saves its whole yearly cost
            circuit = inv.circuits[f["subjects"][0]]
            assert f["saving_cny_per_year"] == pytest.approx(circuit.yearly_cost_cny), f["key"]
        if f["code"] == "LIN001":
            members = [inv.circuits[c] for c in f["subjects"]]
            assert len({c.site_pair for c in members}) == 1
            assert f["args"]["yearly_cost_cny"] == pytest.approx(sum(c.yearly_cost_cny for c in members))
            if f["saving_cny_per_year"] is None:  # its saving is already counted by a cancellation
                assert all(k in by_key and by_key[k]["saving_cny_per_year"] for k in f["args"]["saving_counted_in"])
        if f["code"] == "ROM001":
            room = inv.rooms[f["subjects"][0]]
            assert f["saving_cny_per_year"] == pytest.approx(room.yearly_cost_cny)
    total = sum(f["saving_cny_per_year"] or 0 for f in sample_report["findings"] if f["status"] == "open")
    assert sample_report["summary"]["proposed_saving_cny"] == pytest.approx(total)


def test_protected_lines_are_never_proposed(sample_city: SampleCity, sample_report: dict) -> None:
    clean = planted(sample_city)["clean"]
    protected = set(clean["classified_circuits"]) | set(clean["mandated_circuits"])
    for f in sample_report["findings"]:
        if f["code"] in ("LIN001", "LIN002", "LIN003", "LIN004", "INV003") and f["saving_cny_per_year"]:
            assert not protected & set(f["subjects"]), f["key"]
    mandated = {f["subjects"][0] for f in sample_report["findings"] if f["code"] == "LIN006"}
    assert mandated == set(clean["mandated_circuits"])


def test_collection_reports_the_missing_capture(sample_city: SampleCity, sample_report: dict) -> None:
    missing = [c["device"] for c in sample_report["collection"] if c["status"] not in ("ok", "partial")]
    assert missing == [p["subjects"][0] for p in planted(sample_city)["findings"] if p["code"] == "INV002"]
