"""The terminal summary: prints to the given console, at any width, with or without findings."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from rich.console import Console

from analysis.context import AuditResult
from reports.registry import RenderOptions, render


def _print(result: AuditResult, width: int, lang: str = "en", top: int = 15) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    assert render("terminal", result, Path("unused"), RenderOptions(lang=lang, console=console, top=top)) == []
    return console.export_text()


def test_wide_terminal_shows_counts_collection_top_findings_and_saving(small_result: AuditResult) -> None:
    text = _print(small_result, 120)
    assert "Findings by family and severity" in text
    assert "timed out" in text and "no capture" in text
    assert "INV003" in text and "ROM001" in text
    assert "GOV003" not in text  # waived: not a top finding
    assert "Total proposed saving: CNY 296,000 a year" in text


@pytest.mark.parametrize("width", [20, 40, 59])
def test_narrow_terminal_does_not_crash_and_keeps_the_essentials(small_result: AuditResult, width: int) -> None:
    text = _print(small_result, width, lang="zh")
    flat = "".join(text.split())  # words may wrap anywhere on a narrow screen
    assert "INV003" in flat and "29.6万元" in flat
    assert max(len(line) for line in text.splitlines()) <= width


def test_no_findings(empty_result: AuditResult) -> None:
    text = _print(empty_result, 80)
    assert "No findings." in text and "No saving is proposed." in text


def test_device_text_cannot_inject_rich_markup_or_control_sequences(small_result: AuditResult) -> None:
    f = dataclasses.replace(small_result.findings[0], title="line [bold red]X[/] \x1b[2J gone")
    text = _print(dataclasses.replace(small_result, findings=[f]), 200)
    assert "[bold red]X[/]" in text
    assert "\x1b" not in text


def test_top_limits_the_findings_and_says_so(small_result: AuditResult) -> None:
    text = _print(small_result, 120, top=1)
    assert "INV003" in text and "ROM001" not in text
    assert "1 of 5 findings shown" in text
