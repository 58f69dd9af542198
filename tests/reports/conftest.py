"""Fixtures of the report tests: the small hand-built audit of :mod:`small_city`.

Three sites, two departments, two rooms, three leased lines, four devices, and device
text that tries every trick a report must survive (pipes, newlines, markup,
spreadsheet formulas, Chinese). Tests needing the builders themselves import them
from ``small_city`` (not from this file: several folders have a ``conftest``).
"""

from __future__ import annotations

import dataclasses

import pytest
from small_city import build_small_result

from analysis.context import AuditResult


@pytest.fixture
def small_result() -> AuditResult:
    """A fresh small audit (tests may replace parts of it with dataclasses.replace)."""
    return build_small_result()


@pytest.fixture
def empty_result(small_result: AuditResult) -> AuditResult:
    """The small city with no findings at all."""
    return dataclasses.replace(small_result, findings=[], room_plan=None)
