"""Name normalisation so both ends of a link agree.

Devices name the same port in many ways: Cisco says ``Gi0/1`` in LLDP and
``GigabitEthernet0/1`` in ``show interfaces``; H3C says ``XGE1/0/1`` and
``Ten-GigabitEthernet1/0/1``; Huawei says ``XGigabitEthernet1/0/1`` or ``10GE1/0/1``.
:func:`interface_name` maps every spelling to one canonical long form, so a link
reported from either end, by either protocol, gets the same port names.

Canonical spellings (one per speed or family, whatever the vendor):

========================  =====================================================
canonical                 also accepted (case-insensitive)
========================  =====================================================
``FastEthernet``          Fa, FE, Fas, Fast
``GigabitEthernet``       Gi, Gig, GE, GigE
``TwoGigabitEthernet``    Tw (2.5G, Cisco)
``FiveGigabitEthernet``   Fi (5G, Cisco)
``TenGigabitEthernet``    Te, TenGigE, Ten-GigabitEthernet, XGE, XGigabitEthernet, 10GE
``TwentyFiveGigE``        Twe, TF, WGE, Twenty-FiveGigE, TwentyFiveGigabitEthernet, 25GE
``FortyGigabitEthernet``  Fo, FortyGigE, FGE, 40GE
``FiftyGigE``             50GE
``HundredGigE``           Hu, HGE, HundredGigabitEthernet, 100GE
``TwoHundredGigE``        200GE
``FourHundredGigE``       400GE
``Ethernet``              Eth (with a slash: NX-OS), Et, Ether
``Port-channel``          Po, Port-Channel (EOS), port-channel (NX-OS)
``Eth-Trunk``             (Huawei aggregate; never meets a Port-channel across a link)
``Bridge-Aggregation``    BAGG (H3C Layer 2 aggregate)
``Route-Aggregation``     RAGG (H3C Layer 3 aggregate)
``Loopback``              Lo, Loop, LoopBack (Huawei/H3C)
``Vlan``                  Vl (Cisco SVI)
``Vlanif``                (Huawei SVI)
``Vlan-interface``        Vlan-int (H3C SVI)
``Serial``                Se
``Tunnel``                Tu, Tun
``MEth``                  (Huawei management port)
``M-GigabitEthernet``     MGE (H3C management port)
``mgmt``                  (NX-OS management port)
``Management``            Ma (EOS)
``Null``                  Nu, NULL
========================  =====================================================

Vendor forms that never meet across a link (Vlanif vs Vlan-interface, Eth-Trunk
vs Port-channel) are kept apart but abbreviations of them are expanded. Names
that are not recognisable interface names (a MAC address used as an LLDP port
id, ``"SW PORT"``) come back stripped, unchanged otherwise. Juniper names
(``ge-0/0/0.0``, ``ae0``) and Linux names (``eth0``, ``ens3``, ``bond0``) keep
their native lower-case form.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import replace

from collectors.facts import Interface
from core.platforms import PLATFORMS

__all__ = ["canonical_interfaces", "device_name", "interface_name", "interface_role", "is_interface_name",
           "is_management_vrf", "vrf_name", "without_known_unmasked"]

#: Canonical prefix -> accepted spellings (compared lower case, spaces removed).
_FAMILIES: dict[str, tuple[str, ...]] = {
    "FastEthernet": ("fa", "fe", "fas", "fast", "fastethernet"),
    "GigabitEthernet": ("gi", "gig", "ge", "gige", "gigabitethernet"),
    "TwoGigabitEthernet": ("tw", "twogig", "twogige", "twogigabitethernet"),
    "FiveGigabitEthernet": ("fi", "fivegig", "fivegige", "fivegigabitethernet"),
    "TenGigabitEthernet": ("te", "ten", "tengig", "tengige", "tengigabitethernet",
                           "ten-gigabitethernet", "xge", "xgigabitethernet", "10ge"),
    "TwentyFiveGigE": ("twe", "tf", "wge", "twentyfivegige", "twenty-fivegige",
                       "twentyfivegigabitethernet", "25ge"),
    "FortyGigabitEthernet": ("fo", "fortygige", "fortygigabitethernet", "fge", "40ge"),
    "FiftyGigE": ("fiftygige", "fiftygigabitethernet", "50ge"),
    "HundredGigE": ("hu", "hundredgige", "hundredgigabitethernet", "hge", "100ge"),
    "TwoHundredGigE": ("twohundredgige", "200ge"),
    "FourHundredGigE": ("fourhundredgige", "400ge"),
    "Ethernet": ("et", "eth", "ether", "ethernet"),
    "Port-channel": ("po", "port-channel", "portchannel"),
    "Eth-Trunk": ("eth-trunk", "ethtrunk"),
    "Bridge-Aggregation": ("bagg", "bridge-aggregation"),
    "Route-Aggregation": ("ragg", "route-aggregation"),
    "Loopback": ("lo", "loop", "loopback"),
    "Vlan": ("vl", "vlan"),
    "Vlanif": ("vlanif",),
    "Vlan-interface": ("vlan-int", "vlan-interface"),
    "Serial": ("se", "ser", "serial"),
    "Tunnel": ("tu", "tun", "tunnel"),
    "MEth": ("meth",),
    "M-GigabitEthernet": ("mge", "m-gigabitethernet", "m-ge"),
    "mgmt": ("mgmt",),
    "Management": ("ma", "management"),
    "Null": ("nu", "null"),
    "Dialer": ("di", "dialer"),
    "Cellular": ("cellular",),
    "Multilink": ("mu", "multilink"),
    "Virtual-Template": ("vt", "virtual-template"),
    "Virtual-Access": ("va", "virtual-access"),
    "Bundle-Ether": ("be", "bundle-ether"),
    "MultiGE": ("multige",),
    "BVI": ("bvi",),
    "InLoopBack": ("inloop", "inloopback"),
    "Register-Tunnel": ("register-tunnel",),
    "Virtual-Ethernet": ("virtual-ethernet",),
    "Aux": ("aux",),
    "Async": ("async",),
    "nve": ("nve",),
    "ATM": ("atm",),
    "POS": ("pos",),
}

_ALIASES: dict[str, str] = {alias: canon for canon, aliases in _FAMILIES.items() for alias in aliases}
_CANONICAL_LOWER: dict[str, str] = {canon.lower(): canon for canon in _FAMILIES}

#: ``<prefix><numbers>``: the prefix is letters (and inner hyphens) or a speed such
#: as ``10GE``; the rest is numbers joined by ``/ . :`` (``0/1``, ``1/0/1.100``, ``1:0``).
_SPLIT = re.compile(r"^(?P<prefix>\d+GE|[A-Za-z][A-Za-z-]*?)(?P<space>\s*)(?P<rest>\d+(?:[/.:]\d+)*)$", re.IGNORECASE)
#: Juniper physical names: ``ge-0/0/0``, ``xe-1/2/3.100``.
_JUNOS = re.compile(r"^(?:fe|ge|xe|et|mge|so|at|se)-\d+/\d+/\d+(?:[.:]\d+)*$")
#: Juniper and Linux names without a slash, kept as they are when lower case.
_NATIVE_LOWER = re.compile(
    r"^(?:(?:ae|lo|irb|em|fxp|me|vme|reth)\d*(?:\.\d+)?"  # Junos
    r"|(?:eth|bond|br|veth|team|vlan|tap|tun|wlan|ib|docker|virbr)\d[\w.\-@]*"  # Linux
    r"|(?:ens|enp|eno|enx|wlp)\w+|br-\w+)$"
)


def _resolve_prefix(prefix: str, spaced: bool = False) -> str | None:
    """The canonical family of an abbreviated prefix, or ``None`` if unknown."""
    key = prefix.lower()
    if key in _ALIASES:
        return _ALIASES[key]
    # Cisco accepts any unambiguous abbreviation ("Gigabit", "FastEth", "Port-ch").
    # Not across a space: "Port 1" is free text, not an abbreviated Port-channel1.
    if len(key) >= 3 and not spaced:
        matches = {canon for low, canon in _CANONICAL_LOWER.items() if low.startswith(key)}
        if len(matches) == 1:
            return matches.pop()
    return None


def interface_name(name: str) -> str:
    """The canonical long form of an interface name.

    >>> interface_name("Gi0/1")
    'GigabitEthernet0/1'
    >>> interface_name("GE0/0/1")
    'GigabitEthernet0/0/1'
    >>> [interface_name(n) for n in ("XGE1/0/1", "Ten-GigabitEthernet1/0/1", "Te1/0/1",
    ...                              "XGigabitEthernet1/0/1", "10GE1/0/1")]  # doctest: +NORMALIZE_WHITESPACE
    ['TenGigabitEthernet1/0/1', 'TenGigabitEthernet1/0/1', 'TenGigabitEthernet1/0/1',
     'TenGigabitEthernet1/0/1', 'TenGigabitEthernet1/0/1']
    >>> interface_name("GigabitEthernet 0/1")
    'GigabitEthernet0/1'
    >>> interface_name("BAGG10"), interface_name("LoopBack0"), interface_name("Vlan-int100")
    ('Bridge-Aggregation10', 'Loopback0', 'Vlan-interface100')
    >>> interface_name("ge-0/0/0.0"), interface_name("eth0")
    ('ge-0/0/0.0', 'eth0')
    >>> interface_name("0050.5683.1234")  # not an interface name: kept
    '0050.5683.1234'
    """
    text = name.strip() if name else ""
    if not text or _JUNOS.match(text) or (_NATIVE_LOWER.match(text) and "/" not in text):
        return text
    match = _SPLIT.match(text)
    if match is None:
        return text
    canon = _resolve_prefix(match["prefix"], spaced=match["space"] != "")
    if canon is None:
        return text
    return canon + match["rest"]


def is_interface_name(name: str) -> bool:
    """Whether ``name`` reads as an interface name we know (not a MAC, number or free text).

    Used to choose between an LLDP port id and its port description.

    >>> is_interface_name("Gi1/0/1"), is_interface_name("eth0"), is_interface_name("ge-0/0/1")
    (True, True, True)
    >>> is_interface_name("94f1.2879.5555"), is_interface_name("13"), is_interface_name("SW PORT")
    (False, False, False)
    """
    text = name.strip() if name else ""
    if not text:
        return False
    if _JUNOS.match(text) or (_NATIVE_LOWER.match(text) and "/" not in text):
        return True
    match = _SPLIT.match(text)
    return match is not None and _resolve_prefix(match["prefix"], spaced=match["space"] != "") is not None


_PARENTHESISED = re.compile(r"\s*\([^)]*\)\s*$")


def device_name(name: str) -> str:
    """The key we match device names by: lower case, first DNS label.

    IP addresses are kept whole; a trailing ``(serial)`` that NX-OS adds to its
    CDP device id is dropped.

    >>> device_name("Core1.City.gov.cn")
    'core1'
    >>> device_name("10.1.2.3")
    '10.1.2.3'
    >>> device_name("N5K-A(FOX1234ABCD)")
    'n5k-a'
    >>> device_name("")
    ''
    """
    text = name.strip() if name else ""
    if not text:
        return ""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    text = _PARENTHESISED.sub("", text) or text
    return text.split(".", 1)[0].lower()


#: A platform's names for one routing engine of a chassis (``Platform.engine_name``).
_ENGINE_NAME: dict[str, re.Pattern[str]] = {
    name: re.compile(p.engine_name) for name, p in PLATFORMS.items() if p.engine_name
}


def engine_base(platform: str, key: str) -> str | None:
    """The device a routing engine's name stands for, on a platform whose chassis advertise
    their master engine's name (``Platform.engine_name``), or None when ``key`` is no such name.

    >>> engine_base("juniper_junos", "qs-mx1-re0"), engine_base("juniper_junos", "core_re1")
    ('qs-mx1', 'core')
    >>> engine_base("juniper_junos", "core1"), engine_base("cisco_ios", "core-re1")
    (None, None)
    """
    pattern = _ENGINE_NAME.get(platform)
    found = pattern.fullmatch(key) if pattern is not None else None
    return found["base"] if found else None


def engine_platforms() -> tuple[str, ...]:
    """The platforms whose chassis may advertise a routing engine's name."""
    return tuple(_ENGINE_NAME)


#: A platform's context lines (``Platform.context_line``).
_CONTEXT_LINE: dict[str, re.Pattern[str]] = {
    name: re.compile(p.context_line) for name, p in PLATFORMS.items() if p.context_line
}


def without_context_lines(platform: str, text: str) -> str:
    r"""A text answer without the lines the platform's CLI prints around answers
    (``Platform.context_line``: Junos ``{master:0}`` after each answer on an EX or a virtual
    chassis, ``{primary:node0}`` on a chassis cluster, ``[edit]`` in configuration mode).

    >>> without_context_lines("juniper_junos", "ge-0/0/0  -  3c:8c:93:2a:10:00  ge-1/0/0  r2\n\n{master:0}\n")
    'ge-0/0/0  -  3c:8c:93:2a:10:00  ge-1/0/0  r2\n\n'
    >>> without_context_lines("juniper_junos", "{primary:node0}\nHostname: fw1\n{master:0}[edit]\n")
    'Hostname: fw1\n'
    >>> without_context_lines("cisco_ios", "{master:0}\n")
    '{master:0}\n'
    """
    line = _CONTEXT_LINE.get(platform)
    if line is None:
        return text
    return "".join(part for part in text.splitlines(keepends=True) if not line.fullmatch(part))


def is_context_line(platform: str, line: str) -> bool:
    """Whether ``line`` is one of the platform's context lines (see :func:`without_context_lines`).

    >>> is_context_line("juniper_junos", "{master:0}"), is_context_line("arista_eos", "{master:0}")
    (True, False)
    """
    pattern = _CONTEXT_LINE.get(platform)
    return pattern is not None and pattern.fullmatch(line) is not None


# --- VRFs and interface roles ------------------------------------------------------------

#: What vendors call the global routing table: NX-OS and EOS ``default``, Junos ``master``
#: (the routing instance) and ``inet.0`` (its IPv4 table), Huawei ``_public_``, and the blank
#: of IOS/EOS/Junos outputs that name no VRF.
_GLOBAL_VRF = re.compile(r"^(?:|default|global|master|_public_|grt|inet6?\.0)$", re.IGNORECASE)

#: Management VRFs: NX-OS ``management``, IOS-XE ``Mgmt-intf``, EOS ``MGMT``/``mgmt``, Junos
#: ``mgmt_junos`` (its ``__mgmt...`` internal instances too), and the usual house names.
_MANAGEMENT_VRF = re.compile(
    r"^(?:__)?(?:mgmt|management|oob)(?:[-_](?:intf|vrf|junos|oob|mgmt|network|net))?_*$"
    r"|^oob[-_]?(?:mgmt|management)$",
    re.IGNORECASE,
)


def vrf_name(name: str | None) -> str | None:
    """The canonical VRF of an interface: ``None`` (:data:`collectors.facts.GLOBAL_VRF`) for
    every spelling of the global table, else the VRF's name as configured.

    >>> [vrf_name(v) for v in ("default", " Global ", "", None, "master", "inet.0", "_public_")]
    [None, None, None, None, None, None, None]
    >>> vrf_name("police"), vrf_name(" MGMT "), vrf_name("CUST.inet.0")
    ('police', 'MGMT', 'CUST.inet.0')
    """
    if name is None:
        return None
    text = name.strip()
    return None if _GLOBAL_VRF.match(text) else text


def is_management_vrf(name: str | None) -> bool:
    """Whether a VRF is a management VRF by its name.

    >>> [is_management_vrf(v) for v in ("management", "Mgmt-intf", "mgmt_junos", "MGMT", "__mgmt_vrf__")]
    [True, True, True, True, True]
    >>> [is_management_vrf(v) for v in (None, "default", "EGOV", "mgmt-users-lan")]
    [False, False, False, False]
    """
    return bool(name) and _MANAGEMENT_VRF.match(name.strip()) is not None


#: Ports built for management, by platform (names as :func:`interface_name` gives them):
#: ``Platform.management_ports`` in :mod:`core.platforms` (NX-OS ``mgmt0``, EOS
#: ``Management1``, Junos ``fxp0``/``em0``/``me0``/``vme``, Huawei ``MEth0/0/0``, H3C
#: ``M-GigabitEthernet0/0/0``).
_MANAGEMENT_PORT: dict[str, re.Pattern[str]] = {
    name: re.compile(p.management_ports) for name, p in PLATFORMS.items() if p.management_ports
}

#: Ports whose addresses are the same on every box of their kind, by platform:
#: ``Platform.internal_ports`` (Junos ``bme0``, ``jsrv``, ``fxp1``, ``lo0.16385``...; the
#: bridges Docker, libvirt, LXC create on a Linux host).
_INTERNAL_PORT: dict[str, re.Pattern[str]] = {
    name: re.compile(p.internal_ports) for name, p in PLATFORMS.items() if p.internal_ports
}

#: Networks only internal ports hold, by platform: ``Platform.internal_networks`` (Junos gives
#: its internal ports an address of the network 128.0.0.0/2 itself). Exact networks, not ranges.
_INTERNAL_NETWORKS: dict[str, frozenset[ipaddress.IPv4Network]] = {
    name: frozenset(map(ipaddress.IPv4Network, p.internal_networks))
    for name, p in PLATFORMS.items() if p.internal_networks
}
_LOOPBACK_NETWORK = ipaddress.IPv4Network("127.0.0.0/8")


def _is_internal_address(platform: str, address: str) -> bool:
    try:
        itf = ipaddress.IPv4Interface(address.strip())
    except ValueError:
        return False
    if itf.ip in _LOOPBACK_NETWORK:
        return True
    return itf.network in _INTERNAL_NETWORKS.get(platform, ())


def interface_role(platform: str, name: str, vrf: str | None, addresses: tuple[str, ...] | list[str] = ()
                   ) -> str:
    """What an interface is for: ``"data"``, ``"management"`` or ``"internal"``.

    ``internal``: a chassis-internal port (Junos ``bme0``, ``jsrv``, ``lo0.16385``...) or one
    holding an internal address (127/8 anywhere, the network 128.0.0.0/2 on Junos);
    ``management``: a port built for management (NX-OS ``mgmt0``, EOS ``Management1``,
    Junos ``fxp0``/``em0``/``me0``, Huawei ``MEth``, H3C ``M-GigabitEthernet``) or any port in
    a management VRF (IOS-XE ``GigabitEthernet0`` in ``Mgmt-intf``); ``data`` otherwise.
    ``name`` is normalised, ``vrf`` as read (canonical or not), ``addresses`` "a.b.c.d/len".

    >>> interface_role("cisco_nxos", "mgmt0", "management"), interface_role("cisco_nxos", "Ethernet1/1", None)
    ('management', 'data')
    >>> interface_role("juniper_junos", "em1.0", None, ("10.0.0.4/8", "128.0.0.1/2"))
    'internal'
    >>> interface_role("juniper_junos", "ge-0/0/0.0", None, ("172.16.0.1/30",))
    'data'
    >>> interface_role("cisco_ios", "GigabitEthernet0", "Mgmt-intf")
    'management'
    >>> interface_role("linux", "lo", None, ("127.0.0.1/8",))
    'internal'
    """
    name = (name or "").strip()
    internal = _INTERNAL_PORT.get(platform)
    if internal is not None and internal.match(name):
        return "internal"
    if any(_is_internal_address(platform, a) for a in addresses):
        return "internal"
    management = _MANAGEMENT_PORT.get(platform)
    if management is not None and management.match(name):
        return "management"
    if is_management_vrf(vrf):
        return "management"
    return "data"


def without_known_unmasked(itf: Interface) -> Interface:
    """The interface without the unmasked addresses whose IP is among its addresses (a
    brief table's ``10.1.2.1`` says nothing ``10.1.2.1/30`` does not).

    >>> without_known_unmasked(Interface("Gi0/1", addresses=("10.1.2.1/30",),
    ...                                  unmasked_addresses=("10.1.2.1", "10.9.9.9"))).unmasked_addresses
    ('10.9.9.9',)
    """
    if not itf.unmasked_addresses:
        return itf
    known = {a.partition("/")[0] for a in itf.addresses}
    kept = tuple(a for a in itf.unmasked_addresses if a not in known)
    return itf if kept == itf.unmasked_addresses else replace(itf, unmasked_addresses=kept)


def canonical_interfaces(platform: str, interfaces: Iterable[Interface]) -> tuple[Interface, ...]:
    """Merged interfaces made vendor-neutral: the canonical VRF (:func:`vrf_name`) and the
    role (:func:`interface_role`), unless a reader already gave a role other than ``data``.

    Every path to facts goes through here (command outputs and napalm getters), so two ends
    of one link agree whatever vendor they are.

    >>> [(i.vrf, i.role) for i in canonical_interfaces("cisco_nxos", [
    ...     Interface("mgmt0", vrf="management"), Interface("Ethernet1/1", vrf="default")])]
    [('management', 'management'), (None, 'data')]
    """
    out = []
    for itf in interfaces:
        vrf = vrf_name(itf.vrf)
        role = itf.role if itf.role != "data" else interface_role(
            platform, itf.name, vrf, itf.addresses + itf.unmasked_addresses)
        itf = without_known_unmasked(itf)
        out.append(itf if (vrf, role) == (itf.vrf, itf.role) else replace(itf, vrf=vrf, role=role))
    return tuple(out)
