"""Shared fixtures of the analysis tests; the builders live in ``builders.py`` (import them)."""

from __future__ import annotations

import pytest
from builders import TODAY


@pytest.fixture
def today():
    """The audit date of built contexts (``builders.TODAY``)."""
    return TODAY
