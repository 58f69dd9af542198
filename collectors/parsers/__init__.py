"""Per-platform parsers: for each platform, each command's :class:`CommandParser`.

``PARSERS[platform name][command as typed]`` mirrors the command table of
:data:`collectors.platforms.PLATFORMS`; a test checks that they agree.
"""

from __future__ import annotations

from collectors.parsers import (
    arista_eos,
    arista_eos_json,
    cisco_ios,
    cisco_nxos,
    cisco_nxos_json,
    hp_comware,
    huawei,
    juniper_junos,
    juniper_junos_json,
    linux,
)
from collectors.parsers.base import CommandParser, Fragment, ParseError

__all__ = ["PARSERS", "CommandParser", "Fragment", "ParseError"]

#: EOS, NX-OS and Junos read their text outputs and, where the device has it, JSON
#: (``| json``, ``| display json``): see ``fallback_for`` in collectors.platforms.
PARSERS: dict[str, dict[str, CommandParser]] = {
    "cisco_ios": cisco_ios.PARSERS,
    "huawei": huawei.PARSERS,
    "hp_comware": hp_comware.PARSERS,
    "cisco_nxos": {**cisco_nxos.PARSERS, **cisco_nxos_json.PARSERS},
    "arista_eos": {**arista_eos.PARSERS, **arista_eos_json.PARSERS},
    "juniper_junos": {**juniper_junos.PARSERS, **juniper_junos_json.PARSERS},
    "linux": linux.PARSERS,
}
