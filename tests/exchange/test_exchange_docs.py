"""docs/exchange.md and docs/netbox.md describe what the code does."""

from __future__ import annotations

from pathlib import Path

from exchange.netbox_map import CIRCUIT_STATUSES, DEVICE_STATUSES
from exchange.survey_schema import SHEETS, VOCABULARIES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_exchange_doc_lists_every_sheet_column_and_choice() -> None:
    text = (DOCS / "exchange.md").read_text(encoding="utf-8")
    for sheet in SHEETS:
        assert f"#### {sheet.en} ({sheet.zh}) → `{sheet.section}`" in text
        for column in sheet.columns:
            assert f"| {column.en} | {column.zh} | `{column.key}` | {'yes' if column.required else ''} |" in text
    for choices in VOCABULARIES.values():
        for choice in choices:
            assert choice.zh in text and choice.en in text


def test_netbox_doc_names_the_statuses_that_are_imported() -> None:
    text = (DOCS / "netbox.md").read_text(encoding="utf-8")
    devices = next(line for line in text.splitlines() if line.startswith("| device | `active`"))
    circuits = next(line for line in text.splitlines() if line.startswith("| circuit | `active`"))
    imported_devices = devices.split("|")[2]
    imported_circuits = circuits.split("|")[2]
    assert {s for s in DEVICE_STATUSES if f"`{s}`" in imported_devices} == DEVICE_STATUSES
    assert {s for s in CIRCUIT_STATUSES if f"`{s}`" in imported_circuits} == CIRCUIT_STATUSES
