"""Test-only code (the SSH emulator, the city builders) lives in ``tests/support/``, never in the
installed package, and no module of the package imports it."""

from __future__ import annotations

import ast
import doctest
import importlib.util
import tomllib
from pathlib import Path

import support.emulator

REPO = Path(__file__).resolve().parents[2]
#: The project's packages, as the layer contracts name them.
PACKAGES = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["root_packages"]
#: Top-level names test-only code is imported by (tests/ on sys.path: its folders and modules).
TEST_NAMES = {"tests", "conftest"} | {p.stem for p in (REPO / "tests").iterdir()
                                      if p.suffix == ".py" or (p / "__init__.py").is_file()}


def _modules() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((REPO / package).rglob("*.py"))
            if "__pycache__" not in path.parts]


def _imported_top_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_ships_no_ssh_server() -> None:
    assert importlib.util.find_spec("collectors.live.emulator") is None
    # paramiko's ServerInterface is the server side of SSH: only an emulator needs it.
    servers = [str(path.relative_to(REPO)) for path in _modules() if "ServerInterface" in path.read_text("utf-8")]
    assert servers == []


def test_no_module_of_the_package_imports_test_code() -> None:
    assert "support" in TEST_NAMES  # the shared test-only package is among the names looked for
    offenders = {str(path.relative_to(REPO)): sorted(_imported_top_names(path) & TEST_NAMES) for path in _modules()}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_emulator_docstring_examples_hold() -> None:
    # tests/test_docstring_examples.py runs the package's examples; the emulator left the package.
    result = doctest.testmod(support.emulator, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
