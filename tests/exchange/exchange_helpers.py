"""Helpers of the exchange tests: fill a survey template the way a department would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from exchange import write_survey_template
from exchange.survey_schema import SHEETS_BY_SECTION
from inventory.model import Inventory

SECTIONS = ("departments", "sites", "rooms", "networks", "devices", "circuits", "websites", "approvals")


class SurveyBook:
    """A template written to ``path``, filled row by row, then saved.

    ``add("devices", name="sw1", platform="ios")`` types the values into the next free
    row of the Devices sheet (column by field key) and returns that row's number.
    """

    def __init__(self, path: Path, lang: str = "en", department: str | None = None) -> None:
        self.path = path
        self.lang = lang
        write_survey_template(path, lang, department=department)
        self.wb = load_workbook(path)

    def sheet(self, section: str) -> Any:
        return self.wb[SHEETS_BY_SECTION[section].name(self.lang)]

    def add(self, section: str, **values: Any) -> int:
        spec = SHEETS_BY_SECTION[section]
        ws = self.sheet(section)
        row = ws.max_row + 1
        while row > 2 and all(c.value in (None, "") for c in ws[row - 1]):
            row -= 1
        keys = [c.key for c in spec.columns]
        for key, value in values.items():
            ws.cell(row=row, column=keys.index(key.replace("__", ".")) + 1, value=value)
        return row

    def save(self) -> Path:
        self.wb.save(self.path)
        return self.path


def column_letter(section: str, key: str) -> str:
    """The template's column letter of a field: ``column_letter("devices", "platform") == "C"``."""
    keys = [c.key for c in SHEETS_BY_SECTION[section].columns]
    return chr(ord("A") + keys.index(key))


def sections_of(inventory: Inventory) -> dict[str, dict[str, Any]]:
    """The declared sections of an inventory (what a survey round trip must keep)."""
    return {s: getattr(inventory, s) for s in SECTIONS}


def small_department(book: SurveyBook) -> None:
    """A small valid department: the education bureau, its building, room, LAN, switch and line."""
    book.add("departments", id="edu", name="Education Bureau", local_name="教育局")
    book.add("sites", id="edu-hq", name="Education Building", district="Xiling")
    book.add("sites", id="dc", name="City Data Centre", district="Xiling", critical="yes")
    book.add("rooms", id="edu-room", site="edu-hq", department="edu", racks_total=4, racks_used=2,
             power_kw=6.5, yearly_cost_cny=120000)
    book.add("networks", id="edu-lan", name="Education LAN", department="edu", kind="LAN",
             prefixes="198.51.100.64/26")
    book.add("devices", name="edu-sw1", host="198.51.100.65", platform="huawei", department="edu",
             room="edu-room", networks="edu-lan")
    book.add("circuits", id="CT-0001", carrier="China Telecom", kind="MSTP", department="edu",
             a__site="edu-hq", a__device="edu-sw1", z__site="dc", bandwidth_mbps=100, cost_cny=3000)
