"""Shared fixtures of the analysis tests; the builders live in ``support.citybuild`` (import them)."""

from __future__ import annotations

import pytest
from support.citybuild import TODAY


@pytest.fixture
def today():
    """The audit date of built contexts (``support.citybuild.TODAY``)."""
    return TODAY
