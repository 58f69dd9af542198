"""H3C / HPE Comware configurations (``display current-configuration``).

Comware writes interfaces, addresses (``ip address A MASK [sub]``), ``shutdown``,
``ip binding vpn-instance X``, ``vrrp vrid N virtual-ip X`` and ``sysname`` as VRP does,
so the reader is VRP's (:mod:`collectors.parsers.config.vrp`); what differs is in the
names (``Vlan-interface``, ``Ten-GigabitEthernet``, ``M-GigabitEthernet``,
``Bridge-Aggregation``), which :func:`collectors.normalise.interface_name` handles, and
the distributed EVPN gateway (``distributed-gateway local`` on a ``Vsi-interface``).
"""

from __future__ import annotations

from collectors.parsers.base import Fragment
from collectors.parsers.config.vrp import read_display_config


def read_comware(text: str) -> Fragment:
    """``display current-configuration`` of H3C Comware: hostname and interfaces."""
    return read_display_config(text, "hp_comware", "H3C Comware")
