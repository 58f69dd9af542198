"""Per-platform parsers: for each platform, each command's :class:`CommandParser`.

``PARSERS[platform name][command as typed]`` mirrors the command table of
:data:`core.platforms.PLATFORMS`. A platform's readers are found by its name, so adding
one registers nothing by hand:

- ``collectors/parsers/<platform>.py``: its text readers (``PARSERS``), required;
- ``collectors/parsers/<platform>_json.py``: its JSON readers, where the platform answers
  JSON (EOS, NX-OS ``| json``, Junos ``| display json``: see ``fallback_for`` in
  core.platforms);
- its running configuration's reader, from :mod:`collectors.parsers.config` (one module per
  dialect, registered there by platform), which replaces a platform module's own reader of
  the configuration command.

``tests/collectors/test_platform_conformance.py`` checks every command has its reader.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from collectors.parsers.base import CommandParser, Fragment, ParseError
from collectors.parsers.config import CONFIG_PARSERS
from core.platforms import PLATFORMS

__all__ = ["PARSERS", "CommandParser", "Fragment", "ParseError", "readers_of"]

_JSON_SUFFIX = "_json"


def _module(name: str) -> ModuleType | None:
    """``collectors.parsers.<name>``, or None when there is no such module."""
    qualified = f"{__name__}.{name}"
    if importlib.util.find_spec(qualified) is None:
        return None
    return importlib.import_module(qualified)


def readers_of(platform: str) -> dict[str, CommandParser]:
    """Command -> reader for one platform: text readers, then JSON readers, then the
    configuration reader (a later one wins for a command both name).

    Raises ``LookupError`` naming the module to write when the platform has no text readers.
    """
    text = _module(platform)
    if text is None:
        raise LookupError(f"platform {platform!r} has no readers: write {__name__}.{platform} "
                          "(collectors/parsers/<platform>.py, a PARSERS dict) - see README 'Adding a platform'")
    structured = _module(platform + _JSON_SUFFIX)
    return {**text.PARSERS, **(structured.PARSERS if structured else {}), **CONFIG_PARSERS.get(platform, {})}


PARSERS: dict[str, dict[str, CommandParser]] = {name: readers_of(name) for name in PLATFORMS}
