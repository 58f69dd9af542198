"""Cisco IOS / IOS-XE, Cisco NX-OS and Arista EOS running configurations (one indented dialect).

Read from ``show running-config``:

* hostname: ``hostname X`` (NX-OS also ``switchname X``);
* each ``interface NAME`` block: ``description``, ``shutdown`` / ``no shutdown``,
  ``ip address A MASK`` and ``ip address A/LEN`` (``secondary`` after the primary),
  VRF membership (IOS ``vrf forwarding X`` / ``ip vrf forwarding X``, NX-OS
  ``vrf member X``, EOS ``vrf X`` and older ``vrf forwarding X``);
* shared addresses (:attr:`collectors.facts.Interface.shared_addresses`):
  IOS ``standby [N] ip X``, ``vrrp N ip X``, ``glbp N ip X`` and the IOS-XE VRRPv3
  block ``vrrp N address-family ipv4`` / ``address X``; NX-OS ``hsrp N`` / ``ip X`` and
  ``vrrp N`` / ``address X`` (and ``vrrpv3``) blocks, the addresses of an SVI with
  ``fabric forwarding mode anycast-gateway``, and of the nve source loopback the
  ``secondary`` address (the vPC anycast VTEP) or every address of the loopback named
  by ``source-interface ... anycast loopbackN``; EOS ``ip virtual-router address X``
  (VARP), ``ip address virtual X/LEN``, ``vrrp N ipv4 X`` (``vrrp N ip X`` before
  EOS 4.22), and, when the switch is an MLAG peer (``mlag configuration``), the
  addresses of the ``vxlan source-interface`` loopback, which both peers share.

Administrative state: ``shutdown`` is down, anything else up, except NX-OS VLAN
interfaces, which NX-OS creates shut down and shows ``no shutdown`` for when enabled.
"""

from __future__ import annotations

import re
from typing import Literal

from collectors.parsers.base import Fragment, Reader, ipv4_interface
from collectors.parsers.config.common import (
    Block,
    InterfaceDraft,
    indented_blocks,
    interface_blocks,
    require_something,
    top_level_value,
    unique_interfaces,
)

Dialect = Literal["cisco_ios", "cisco_nxos", "arista_eos"]

_DIALECT_NAMES = {"cisco_ios": "Cisco IOS", "cisco_nxos": "Cisco NX-OS", "arista_eos": "Arista EOS"}

_ADDRESS = re.compile(r"^ip address (?P<address>\S+)(?: (?P<mask>\d+\.\d+\.\d+\.\d+))?(?P<secondary> secondary)?\b")
_VIRTUAL_ADDRESS = re.compile(r"^ip address virtual (?P<address>[\d.]+)(?:/(?P<length>\d+))?")
_VRF = re.compile(r"^(?:ip )?vrf (?:forwarding |member )?(?P<vrf>\S+)$")
#: One-line first-hop redundancy: IOS ``standby [N] ip X``, ``vrrp N ip X``, ``glbp N ip X``,
#: EOS ``vrrp N ipv4 X`` and ``ip virtual-router address X``.
_FHRP_LINE = re.compile(
    r"^(?:standby(?: \d+)? ip|vrrp \d+ ipv?4?|glbp \d+ ip|ip virtual-router address)"
    r" (?P<address>\d+\.\d+\.\d+\.\d+)(?:/(?P<length>\d+))?(?: secondary)?$"
)
#: First-hop redundancy blocks: NX-OS ``hsrp N [ipv4]``, ``vrrp N``, ``vrrpv3 N address-family ipv4``,
#: IOS-XE ``vrrp N address-family ipv4``.
_FHRP_BLOCK = re.compile(r"^(?:hsrp \d+(?: ipv4)?|vrrp \d+|vrrp(?:v3)? \d+ address-family ipv4)$")
_FHRP_BLOCK_ADDRESS = re.compile(
    r"^(?:ip|address) (?P<address>\d+\.\d+\.\d+\.\d+)(?:/(?P<length>\d+))?(?: (?:primary|secondary))?$"
)
_ANYCAST_GATEWAY = "fabric forwarding mode anycast-gateway"
_NVE_SOURCE = re.compile(r"^source-interface (?P<source>\S+)(?: anycast (?P<anycast>\S+))?$")
_EOS_VTEP_SOURCE = re.compile(r"^vxlan source-interface (?P<source>\S+)$")


def _read(text: str, dialect: Dialect) -> tuple[str, list[InterfaceDraft], list[Block]]:
    """The hostname, the interfaces being read, and the blocks of one configuration."""
    blocks = indented_blocks(text, comment="!")
    keywords = ("hostname", "switchname") if dialect == "cisco_nxos" else ("hostname",)
    hostname = top_level_value(blocks, keywords)
    drafts = [_interface(raw_name, block, dialect) for raw_name, block in interface_blocks(blocks)]
    return hostname, drafts, blocks


def _interface(raw_name: str, block: Block, dialect: Dialect) -> InterfaceDraft:
    draft = InterfaceDraft(raw_name)
    if dialect == "cisco_nxos" and raw_name.lower().startswith("vlan"):
        draft.admin_up = False  # NX-OS SVIs are created shut down; the config says "no shutdown"
    for child in block.children:
        line = child.line
        if line.startswith("description "):
            draft.description = line.partition(" ")[2].strip()
        elif line == "shutdown":
            draft.admin_up = False
        elif line == "no shutdown":
            draft.admin_up = True
        elif match := _VIRTUAL_ADDRESS.match(line):
            draft.add_shared(match["address"], match["length"])
        elif match := _ADDRESS.match(line):
            draft.add_address(ipv4_interface(match["address"], match["mask"]), bool(match["secondary"]))
        elif match := _VRF.match(line):
            draft.vrf = match["vrf"]
        elif match := _FHRP_LINE.match(line):
            draft.add_shared(match["address"], match["length"])
        elif _FHRP_BLOCK.match(line):
            for inner in child.children:
                if found := _FHRP_BLOCK_ADDRESS.match(inner.line):
                    draft.add_shared(found["address"], found["length"])
        elif line == _ANYCAST_GATEWAY:
            draft.all_shared = True
    return draft


def _mark_anycast_vteps(drafts: list[InterfaceDraft], blocks: list[Block], dialect: Dialect) -> None:
    """Mark the loopbacks a VXLAN tunnel endpoint shares with its peer (see the module docstring)."""
    by_name = {d.name.lower(): d for d in drafts}
    mlag = any(b.line == "mlag configuration" for b in blocks)
    for raw_name, block in interface_blocks(blocks):
        for child in block.children:
            if dialect == "cisco_nxos" and raw_name.lower().startswith("nve"):
                match = _NVE_SOURCE.match(child.line)
                if match is None:
                    continue
                if source := by_name.get(match["source"].lower()):
                    source.secondary_shared = True
                if match["anycast"] and (anycast := by_name.get(match["anycast"].lower())):
                    anycast.all_shared = True
            elif dialect == "arista_eos" and mlag and raw_name.lower().startswith("vxlan"):
                match = _EOS_VTEP_SOURCE.match(child.line)
                if match and (source := by_name.get(match["source"].lower())):
                    source.all_shared = True


def reader(dialect: Dialect) -> Reader:
    """The ``show running-config`` reader of one dialect."""

    def read(text: str) -> Fragment:
        hostname, drafts, blocks = _read(text, dialect)
        _mark_anycast_vteps(drafts, blocks, dialect)
        interfaces = unique_interfaces(d.done(dialect) for d in drafts)
        require_something(hostname, interfaces, _DIALECT_NAMES[dialect])
        return Fragment(info={"hostname": hostname} if hostname else {}, interfaces=interfaces)

    read.__doc__ = f"``show running-config`` of {_DIALECT_NAMES[dialect]}: hostname and interfaces."
    return read


read_ios = reader("cisco_ios")
read_nxos = reader("cisco_nxos")
read_eos = reader("arista_eos")
