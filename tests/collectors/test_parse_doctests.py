"""The examples in the parsing and normalisation docstrings hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "collectors.normalise",
    "collectors.parsers.base",
    "collectors.parsers.common",
    "collectors.parsers.huawei",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
