"""The facts cache key covers exactly the parsing code.

Editing a parser, a template, the platform table or the reader of saved captures must
invalidate cached facts (they could differ now); editing the live transports, the
credentials or anything else parsing never runs must not (a nightly audit would re-parse
every device for nothing).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import netcensus.cache as cache
from netcensus.cache import PARSING_PACKAGES, parser_digest, parsing_sources, sources_digest

#: The folder holding the project's packages (the checkout, or site-packages when installed).
ROOT = Path(cache.__file__).resolve().parents[1]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the packages parsing code lives in, for a test to edit."""
    for package in PARSING_PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def _key(root: Path) -> str:
    return sources_digest(root, parsing_sources(root))


def _edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


@pytest.mark.parametrize("changed", [
    "collectors/parse.py",
    "collectors/parsers/cisco_ios.py",  # loaded by platform name, never imported by a statement
    "collectors/parsers/arista_eos_json.py",
    "collectors/parsers/config/junos.py",
    "collectors/parsers/templates.py",
    "collectors/normalise.py",
    "collectors/redact.py",  # the configuration is redacted while parsing
    "collectors/napalm_facts.py",
    "collectors/offline.py",  # the reader of saved captures: the cache may skip reading them
    "core/platforms/__init__.py",
    "core/platforms/huawei.py",
    "collectors/templates/huawei_vrp_display_interface.textfsm",
])
def test_editing_parsing_code_changes_the_key(tree: Path, changed: str) -> None:
    before = _key(tree)
    _edit(tree / changed)
    assert _key(tree) != before, f"{changed} changes what a parse gives, yet the cache key stayed"


@pytest.mark.parametrize("unchanged", [
    "collectors/live/netmiko_transport.py",
    "collectors/live/asyncssh_transport.py",
    "collectors/live/napalm_transport.py",
    "collectors/live/session.py",
    "collectors/live/__init__.py",
    "collectors/credentials.py",
    "collectors/hostkeys.py",
    "collectors/templates/README.md",
])
def test_editing_code_parsing_never_runs_keeps_the_key(tree: Path, unchanged: str) -> None:
    before = _key(tree)
    _edit(tree / unchanged)
    assert _key(tree) == before, f"{unchanged} cannot change a parse, yet it changed the cache key"


def test_a_new_platform_module_changes_the_key(tree: Path) -> None:
    # Readers are found by platform name: a new module counts without being imported anywhere.
    before = _key(tree)
    (tree / "collectors/parsers/newos.py").write_text("PARSERS = {}\n", encoding="utf-8")
    assert _key(tree) != before
    after_reader = _key(tree)
    (tree / "collectors/templates/newos_show_version.textfsm").write_text("Value X (\\S+)\n\nStart\n",
                                                                          encoding="utf-8")
    assert _key(tree) != after_reader


def test_the_key_covers_every_reader_template_and_platform_module_and_no_live_code() -> None:
    sources = {path.as_posix() for path in parsing_sources(ROOT)}
    expected = [p.relative_to(ROOT).as_posix() for folder in ("collectors/parsers", "core/platforms")
                for p in sorted((ROOT / folder).rglob("*.py")) if "__pycache__" not in p.parts]
    expected += [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "collectors/templates").glob("*.textfsm"))]
    expected += ["collectors/parse.py", "collectors/offline.py", "collectors/normalise.py", "collectors/redact.py"]
    assert [path for path in expected if path not in sources] == []
    not_parsing = sorted(path for path in sources if path.startswith("collectors/live/")
                         or path in ("collectors/credentials.py", "collectors/hostkeys.py"))
    assert not_parsing == []
    assert not any(path.startswith(("inventory/", "analysis/", "reports/", "exchange/", "netcensus/", "tests/"))
                   for path in sources)


def test_a_new_ntc_templates_version_changes_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    now = parser_digest.__wrapped__()  # computed afresh, not the value cached for this process
    real = cache._version
    monkeypatch.setattr(cache, "_version", lambda name: "99.0.0" if name == "ntc-templates" else real(name))
    assert parser_digest.__wrapped__() != now
