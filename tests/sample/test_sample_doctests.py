"""The examples in the sample generator's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["netcensus.sample.build", "netcensus.sample.generate", "netcensus.sample.tariff",
           "netcensus.sample.yaml_out"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
