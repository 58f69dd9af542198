"""Per-platform parsers: for each platform, each command's :class:`CommandParser`.

``PARSERS[platform name][command as typed]`` mirrors the command table of
:data:`core.platforms.PLATFORMS`; a test checks that they agree.
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
from collectors.parsers.config import CONFIG_PARSERS

__all__ = ["PARSERS", "CommandParser", "Fragment", "ParseError"]

#: EOS, NX-OS and Junos read their text outputs and, where the device has it, JSON
#: (``| json``, ``| display json``): see ``fallback_for`` in core.platforms.
#: Running configurations are read by :mod:`collectors.parsers.config` (interfaces,
#: addresses, VRFs, shared addresses), which replaces the platform modules' hostname reader.
PARSERS: dict[str, dict[str, CommandParser]] = {
    "cisco_ios": {**cisco_ios.PARSERS, **CONFIG_PARSERS["cisco_ios"]},
    "huawei": {**huawei.PARSERS, **CONFIG_PARSERS["huawei"]},
    "hp_comware": {**hp_comware.PARSERS, **CONFIG_PARSERS["hp_comware"]},
    "cisco_nxos": {**cisco_nxos.PARSERS, **cisco_nxos_json.PARSERS, **CONFIG_PARSERS["cisco_nxos"]},
    "arista_eos": {**arista_eos.PARSERS, **arista_eos_json.PARSERS, **CONFIG_PARSERS["arista_eos"]},
    "juniper_junos": {**juniper_junos.PARSERS, **juniper_junos_json.PARSERS, **CONFIG_PARSERS["juniper_junos"]},
    "linux": linux.PARSERS,
}
