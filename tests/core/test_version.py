"""One version: core.version (the CLI, the JSON report) agrees with pyproject.toml (the manifest)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from core.version import __version__

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_core_version_is_the_projects_version() -> None:
    # The run manifest records the installed distribution's version (importlib.metadata),
    # the JSON report and `netcensus --version` this constant: a release must bump both.
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert __version__ == declared
