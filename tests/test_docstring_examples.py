"""Every docstring example in the project's packages runs and holds (networkx style)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("core", "inventory", "collectors", "analysis", "exchange", "reports", "netcensus")


def _modules_with_examples() -> list[str]:
    names = []
    for package in PACKAGES:
        pkg = importlib.import_module(package)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            if (doctest.DocTestFinder(exclude_empty=True).find(module)
                    and any(t.examples for t in doctest.DocTestFinder().find(module))):
                names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules_with_examples())
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
