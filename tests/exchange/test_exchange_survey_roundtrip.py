"""Round trip: an inventory exported to survey workbooks and imported again is the same inventory."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_helpers import sections_of
from openpyxl import load_workbook

from exchange import export_surveys, import_surveys
from exchange.writer import write_yaml
from inventory.loader import load_inventory
from inventory.model import Inventory


def _round_trip(inventory: Inventory, tmp_path: Path, lang: str) -> Inventory:
    books = export_surveys(inventory, tmp_path / "workbooks", lang)
    out = tmp_path / "inventory"
    out.mkdir()
    # The policy is the city's, not a department's: it stays in the inventory directory.
    write_yaml(out / "policy.yaml", {}, policy=inventory.policy)
    import_surveys(books, out)
    return load_inventory(out)


def test_sample_city_round_trips_through_workbooks(sample_inventory: Inventory, tmp_path: Path) -> None:
    back = _round_trip(sample_inventory, tmp_path, "zh")
    assert sections_of(back) == sections_of(sample_inventory)
    assert back.policy == sample_inventory.policy


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_example_inventory_round_trips_in_both_languages(example_inventory: Inventory, tmp_path: Path,
                                                         lang: str) -> None:
    back = _round_trip(example_inventory, tmp_path, lang)
    assert sections_of(back) == sections_of(example_inventory)


def test_export_writes_one_workbook_per_department(sample_inventory: Inventory, tmp_path: Path) -> None:
    books = export_surveys(sample_inventory, tmp_path, "zh")
    names = {p.name for p in books}
    assert {f"{d}.xlsx" for d in sample_inventory.departments} <= names
    assert names - {f"{d}.xlsx" for d in sample_inventory.departments} <= {"_shared.xlsx"}
    dept = next(d for d in sample_inventory.departments
                if any(c.department == d for c in sample_inventory.circuits.values()))
    wb = load_workbook(tmp_path / f"{dept}.xlsx", read_only=True)
    lines = [row[0] for row in wb["专线"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert sorted(lines) == sorted(c.id for c in sample_inventory.circuits.values() if c.department == dept)
    departments = [row[0] for row in wb["部门"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert departments == [dept]
    wb.close()


def test_exported_carriers_outside_the_list_join_the_drop_down(sample_inventory: Inventory, tmp_path: Path) -> None:
    other = sorted({c.carrier for c in sample_inventory.circuits.values()} - {"China Telecom", "China Unicom",
                                                                                 "China Mobile"})
    assert other, "the sample city has a cable-TV operator"
    books = export_surveys(sample_inventory, tmp_path, "en")
    wb = load_workbook(books[0])
    carriers = [c.value for c in wb["Lists"]["K"][1:] if c.value]  # the carrier column of the lists
    assert wb["Lists"]["K1"].value == "carrier"
    assert carriers[:4] == ["China Telecom", "China Unicom", "China Mobile", "China Broadnet"]
    assert set(other) <= set(carriers)
