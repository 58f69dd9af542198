"""Huawei VRP configurations (``display current-configuration``); H3C Comware shares the
syntax (:mod:`collectors.parsers.config.comware`).

Read:

* hostname: ``sysname X``;
* each ``interface NAME`` block: ``description``, ``shutdown`` / ``undo shutdown``,
  ``ip address A MASK`` and ``ip address A LEN`` (``sub`` for a secondary),
  ``ip binding vpn-instance X``;
* shared addresses: ``vrrp vrid N virtual-ip X``, and every address of an interface
  that is a distributed (anycast) gateway: VRP ``anycast-gateway enable`` (CloudEngine
  ``vxlan anycast-gateway enable`` on a Vbdif), Comware ``distributed-gateway local``
  (on a Vsi-interface).
"""

from __future__ import annotations

import re

from collectors.parsers.base import Fragment, ipv4_interface
from collectors.parsers.config.common import (
    Block,
    InterfaceDraft,
    indented_blocks,
    interface_blocks,
    require_something,
    top_level_value,
    unique_interfaces,
)

_ADDRESS = re.compile(r"^ip address (?P<address>\d+\.\d+\.\d+\.\d+) (?P<mask>\d+(?:\.\d+\.\d+\.\d+)?)(?P<sub> sub)?\b")
_VRF = re.compile(r"^ip binding vpn-instance (?P<vrf>\S+)$")
_VRRP = re.compile(r"^vrrp vrid \d+ virtual-ip (?P<address>\d+\.\d+\.\d+\.\d+)(?: (?P<mask>\d+(?:\.\d+\.\d+\.\d+)?))?")
_DISTRIBUTED_GATEWAY = re.compile(r"^(?:vxlan )?anycast-gateway enable$|^distributed-gateway local$")


def read_display_config(text: str, platform: str, dialect: str) -> Fragment:
    """Hostname and interfaces of a VRP or Comware configuration (``dialect`` names it in errors)."""
    blocks = indented_blocks(text, comment="#")
    hostname = top_level_value(blocks, ("sysname",))
    interfaces = unique_interfaces(_interface(name, block).done(platform) for name, block in interface_blocks(blocks))
    require_something(hostname, interfaces, dialect)
    return Fragment(info={"hostname": hostname} if hostname else {}, interfaces=interfaces)


def _interface(raw_name: str, block: Block) -> InterfaceDraft:
    draft = InterfaceDraft(raw_name)
    for child in block.children:
        line = child.line
        if line.startswith("description "):
            draft.description = line.partition(" ")[2].strip()
        elif line == "shutdown":
            draft.admin_up = False
        elif line == "undo shutdown":
            draft.admin_up = True
        elif match := _ADDRESS.match(line):
            draft.add_address(ipv4_interface(match["address"], match["mask"]), bool(match["sub"]))
        elif match := _VRF.match(line):
            draft.vrf = match["vrf"]
        elif match := _VRRP.match(line):
            draft.add_shared(match["address"], _length(match["mask"]))
        elif _DISTRIBUTED_GATEWAY.match(line):
            draft.all_shared = True
    return draft


def _length(mask: str | None) -> str | None:
    """A prefix length from a length or a dotted mask (``None`` when not given)."""
    if not mask:
        return None
    itf = ipv4_interface("0.0.0.1", mask)
    return itf.partition("/")[2] if itf else None


def read_vrp(text: str) -> Fragment:
    """``display current-configuration`` of Huawei VRP: hostname and interfaces."""
    return read_display_config(text, "huawei", "Huawei VRP")
