"""Platforms as data: one module per platform, each holding everything netcensus knows of it.

``PLATFORMS[name] -> Platform``, assembled from the modules of this package (``cisco_ios``,
``huawei``, ``hp_comware``, ``cisco_nxos``, ``arista_eos``, ``juniper_junos``, ``linux``),
each of which builds one :class:`Platform`: what to type (its commands, with the fact kind
each feeds and the TextFSM template that parses it), how a session knows it is in (prompt,
terminal setup, enable), how a device reports a failed command (error markers), the names
other tools give the platform, its management and internal ports, which redaction rules its
outputs go through, how a whole configuration ends, and how a device answers (the prompt it
shows, its reply to an unknown command: what the tests' SSH emulator plays). The code that
reads the answers stays in :mod:`collectors` (readers per platform in
``collectors/parsers/<platform>.py``, TextFSM templates in ``collectors/templates/``).

A command's ``template`` is the ntc-templates command name when ntc-templates covers it,
``"own:<file>"`` for a template shipped in ``collectors/templates/``, ``"json"`` for output
that is JSON (``ip -j``, ``lldpcli -f json``, EOS and NX-OS ``| json``, Junos ``| display
json``), and ``None`` for raw text (configs, ``hostname``).

Structured output first, text as fallback
-----------------------------------------
Where a platform can answer in JSON, the table lists the JSON command and, right
after it, the text command with ``fallback_for`` naming the JSON one: together they
are one *alternative group* (:attr:`Platform.groups`), and a group gives its facts
from exactly one member, the first whose output is present and reads cleanly.

- Offline, a capture folder may hold the JSON file, the text file or both (older
  saved outputs are text only); only a group with no file at all is ``missing``.
- Live, the collector types the preferred command and types the fallback only
  when that answer is unusable: a platform error marker (older software without
  ``| json``) or no readable JSON.
- A preferred output that holds no JSON document (the device's error, an empty or
  text answer) is superseded silently when a fallback reads; a JSON document that
  does not read (broken, truncated) is still reported as ``parse_error`` naming the
  JSON command, because it says something is wrong with the device or the capture.

Weaker forms
------------
A group may hold more than one stand-in, strongest first: the summary tables
(``show lldp neighbors``, ``show cdp neighbors``, VRP ``display lldp neighbor brief``)
after the detail commands, the brief
address tables (``show ip interface brief``, ``display ip interface brief``, Junos ``show
interfaces terse``) after the interface or address command, Junos ``show lldp neighbors detail | display json``
between the summary JSON and its text. A capture holding only a weaker form reads
(the group is not missing); one holding a stronger form never reads the weaker.
The running configuration comes last in every table: it is the weakest evidence.

Adding a platform is adding a module here and its line in ``_MODULES``, plus its readers,
templates and test cases (see README "Adding a platform";
``tests/collectors/test_platform_conformance.py`` says what is missing).
"""

from __future__ import annotations

from core.platforms import (
    arista_eos,
    cisco_ios,
    cisco_nxos,
    hp_comware,
    huawei,
    juniper_junos,
    linux,
)
from core.platforms.base import (
    JSON_TEMPLATE,
    Command,
    FactKind,
    Platform,
    RedactionFamily,
    command_filename,
    prefer_json,
)

__all__ = ["JSON_TEMPLATE", "PLATFORMS", "Command", "FactKind", "Platform", "RedactionFamily",
           "command_filename", "prefer_json"]

#: The platform modules, in table order (the order lists and exports show them in).
_MODULES = (cisco_ios, huawei, hp_comware, cisco_nxos, arista_eos, juniper_junos, linux)


def _assemble(platforms: tuple[Platform, ...]) -> dict[str, Platform]:
    """Name -> platform; two modules claiming one name is an error naming it."""
    table: dict[str, Platform] = {}
    for platform in platforms:
        if platform.name in table:
            raise ValueError(f"platform {platform.name!r} is defined twice in core.platforms")
        table[platform.name] = platform
    return table


PLATFORMS: dict[str, Platform] = _assemble(tuple(module.PLATFORM for module in _MODULES))
