"""core.registry.Register: one name per plugin, clear errors, bundled plugins imported by name."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import NetcensusError
from core.registry import (
    DuplicatePluginError,
    Register,
    UnknownPluginError,
    qualified_name,
)


def shout(text: str) -> str:
    return text.upper()


def whisper(text: str) -> str:
    return text.lower()


def fresh() -> Register:
    return Register("greeting", "netcensus.tests.greetings", "core")


def test_a_registered_plugin_is_got_by_its_name_and_listed_as_available() -> None:
    greetings = fresh()
    greetings.register("shout", shout)
    greetings.register("whisper", whisper)
    assert greetings.get("shout")("hi") == "HI"
    assert greetings.available == {"shout": shout, "whisper": whisper}


def test_a_different_plugin_under_a_taken_name_is_refused_naming_the_holder() -> None:
    greetings = fresh()
    greetings.register("hello", shout)
    with pytest.raises(DuplicatePluginError) as error:
        greetings.register("hello", whisper)
    assert str(error.value) == f"greeting hello is already taken by {qualified_name(shout)}"
    assert greetings.get("hello") is shout  # the first one stays
    assert isinstance(error.value, NetcensusError)  # the CLI turns it into exit 2, no traceback


def test_an_unknown_name_lists_the_known_ones() -> None:
    greetings = fresh()
    greetings.register("whisper", whisper)
    greetings.register("shout", shout)
    with pytest.raises(UnknownPluginError, match=r"unknown greeting 'sing' \(known: shout, whisper\)"):
        greetings.get("sing")
    with pytest.raises(LookupError):
        greetings.get("sing")


def test_deregister_frees_the_name() -> None:
    greetings = fresh()
    greetings.register("hello", shout)
    greetings.deregister("hello")
    greetings.register("hello", whisper)
    assert greetings.get("hello") is whisper
    with pytest.raises(UnknownPluginError, match="greeting 'bye' is not registered"):
        greetings.deregister("bye")


@pytest.fixture()
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An importable package folder ``h3_bundled`` (removed from sys.modules afterwards)."""
    root = tmp_path / "h3_bundled"
    root.mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m == "h3_bundled" or m.startswith("h3_bundled.")]:
        del sys.modules[name]


def test_the_bundled_plugins_are_imported_by_module_name_on_the_first_lookup(package: Path) -> None:
    """The register's package never imports its plugins: load() finds every module of the package."""
    (package / "__init__.py").write_text(
        "from core.registry import Register\n"
        "greetings = Register('greeting', 'netcensus.tests.greetings', 'h3_bundled')\n", encoding="utf-8")
    for word in ("hello", "goodbye"):
        (package / f"{word}.py").write_text(
            "from h3_bundled import greetings\n"
            f"def {word}(name):\n    return '{word} ' + name\n"
            f"greetings.register('{word}', {word})\n", encoding="utf-8")
    greetings = importlib.import_module("h3_bundled").greetings
    assert greetings.available == {}
    assert greetings.get("goodbye")("Wuhan") == "goodbye Wuhan"
    assert sorted(greetings.available) == ["goodbye", "hello"]
    assert greetings.origin("hello") == "the built-in h3_bundled.hello:hello"


def test_a_bundled_module_that_fails_is_tried_again_at_the_next_lookup(package: Path) -> None:
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "broken.py").write_text("raise RuntimeError('half written')\n", encoding="utf-8")
    greetings = Register("greeting", "netcensus.tests.greetings", "h3_bundled")
    for _ in range(2):  # never silently "loaded" with a module missing
        with pytest.raises(RuntimeError, match="half written"):
            greetings.get("hello")


def test_a_module_imported_again_registers_its_plugins_again_without_a_clash(package: Path) -> None:
    """A reloaded module defines new function objects under the same names: no clash."""
    (package / "__init__.py").write_text(
        "from core.registry import Register\n"
        "greetings = Register('greeting', 'netcensus.tests.greetings', 'h3_bundled')\n", encoding="utf-8")
    (package / "loud.py").write_text(
        "from h3_bundled import greetings\n"
        "def shout(text):\n    return text.upper()\n"
        "greetings.register('shout', shout)\n", encoding="utf-8")
    loud = importlib.import_module("h3_bundled.loud")
    first = loud.shout
    importlib.reload(loud)
    greetings = importlib.import_module("h3_bundled").greetings
    assert greetings.available["shout"] is not first and greetings.available["shout"] is loud.shout
