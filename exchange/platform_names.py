"""Platform names of other tools, mapped to netcensus's (the keys of ``core.platforms.PLATFORMS``).

Ansible (``ansible_network_os``, short or fully qualified), napalm drivers, netmiko
device types, scrapli platforms and NetBox platform slugs each spell the same
operating system their own way; each platform lists its spellings (``Platform.aliases``
and ``Platform.ansible_network_os`` in :mod:`core.platforms`). :func:`our_platform` reads any of them;
:func:`nornir_platform` and :func:`ansible_network_os` write them back.

Names are compared after :func:`_key`: lower case, ``-``, ``.`` and spaces as ``_``.
"""

from __future__ import annotations

from core.platforms import PLATFORMS, Platform

__all__ = ["UNSUPPORTED", "ansible_network_cli", "ansible_network_os", "napalm_driver", "nornir_platform",
           "our_circuit_kind", "our_platform", "our_role", "unsupported_reason"]

#: Spellings we recognise but cannot survey, with the reason (shown to the user).
UNSUPPORTED: dict[str, str] = {
    "iosxr": "Cisco IOS-XR is not a netcensus platform",
    "cisco_xr": "Cisco IOS-XR is not a netcensus platform",
    "cisco_iosxr": "Cisco IOS-XR is not a netcensus platform",
    "cisco_asa": "Cisco ASA is not a netcensus platform",
    "asa": "Cisco ASA is not a netcensus platform",
    "fortinet": "FortiOS is not a netcensus platform",
    "fortios": "FortiOS is not a netcensus platform",
    "paloalto_panos": "PAN-OS is not a netcensus platform",
    "panos": "PAN-OS is not a netcensus platform",
}

_TELNET_SUFFIX = "_telnet"


def _key(name: str) -> str:
    """``Cisco.IOS.ios`` -> ``cisco_ios_ios``: the form aliases are looked up in."""
    return "_".join(name.strip().lower().replace("-", " ").replace(".", " ").replace("/", " ").split())


def _aliases(platforms: dict[str, Platform]) -> dict[str, str]:
    """Spelling (normalised by :func:`_key`) -> our platform, from each platform's ``aliases``;
    our own names map to themselves. A spelling two platforms claim is an error naming both."""
    table: dict[str, str] = {}
    for platform in platforms.values():
        for spelling in (platform.name, *platform.aliases):
            claimed = table.setdefault(_key(spelling), platform.name)
            if claimed != platform.name:
                raise ValueError(f"platform alias {spelling!r} names both {claimed!r} and {platform.name!r}")
    return table


_ALIASES: dict[str, str] = _aliases(PLATFORMS)


def our_platform(name: str | None) -> str | None:
    """Our platform for another tool's name of it, or None when it is not one we survey.

    >>> our_platform("cisco.ios.ios"), our_platform("nxos_ssh"), our_platform("huawei_vrp")
    ('cisco_ios', 'cisco_nxos', 'huawei')
    >>> our_platform("Juniper Junos"), our_platform("hp_comware"), our_platform("cisco_xr")
    ('juniper_junos', 'hp_comware', None)
    """
    if not name or not name.strip():
        return None
    key = _key(name)
    if key in _ALIASES:
        return _ALIASES[key]
    # A fully qualified Ansible name we have no entry for: try its last part (``x.y.ios``).
    last = name.strip().lower().rsplit(".", 1)[-1]
    return _ALIASES.get(_key(last)) if "." in name else None


def unsupported_reason(name: str | None) -> str:
    """Why ``name`` maps to no platform of ours, in one phrase for a skip list.

    >>> unsupported_reason("cisco_ios_telnet")
    "platform 'cisco_ios_telnet' is reached over telnet: netcensus collects over SSH only"
    >>> unsupported_reason("")
    'no platform given'
    """
    if not name or not name.strip():
        return "no platform given"
    key = _key(name)
    if key.endswith(_TELNET_SUFFIX):
        return f"platform {name!r} is reached over telnet: netcensus collects over SSH only"
    last = _key(name.strip().rsplit(".", 1)[-1])  # cisco.iosxr.iosxr -> iosxr
    for candidate in (key, last):
        if candidate in UNSUPPORTED:
            return f"platform {name!r}: {UNSUPPORTED[candidate]}"
    return f"unknown platform {name!r}; netcensus platforms: {', '.join(sorted(PLATFORMS))}"


def nornir_platform(platform: str) -> str:
    """The Nornir ``platform`` of a host: its netmiko device type (nornir_netmiko reads it).

    >>> nornir_platform("huawei"), nornir_platform("cisco_nxos")
    ('huawei', 'cisco_nxos')
    """
    return PLATFORMS[platform].netmiko_device_type


def napalm_driver(platform: str) -> str | None:
    """The napalm driver of our platform, or None when napalm has none.

    >>> napalm_driver("cisco_ios"), napalm_driver("huawei")
    ('ios', None)
    """
    return PLATFORMS[platform].napalm_driver


def ansible_network_os(platform: str) -> str | None:
    """The fully qualified ``ansible_network_os`` of our platform, None for plain hosts.

    >>> ansible_network_os("cisco_ios"), ansible_network_os("linux")
    ('cisco.ios.ios', None)
    """
    known = PLATFORMS.get(platform)
    return known.ansible_network_os if known else None


def ansible_network_cli(platform: str) -> bool:
    """Whether an Ansible collection serves our platform over ``network_cli``.

    >>> ansible_network_cli("cisco_ios"), ansible_network_cli("hp_comware")
    (True, False)
    """
    known = PLATFORMS.get(platform)
    return bool(known and known.ansible_network_os and known.ansible_network_cli)


#: Words in another tool's device role (a NetBox role slug, a group name) -> our role.
_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("core", "core"), ("distribution", "distribution"), ("dist", "distribution"),
    ("aggregation", "distribution"), ("access", "access"), ("firewall", "firewall"), ("fw", "firewall"),
    ("router", "router"), ("server", "server"), ("wan", "wan"), ("edge", "wan"),
)


def our_role(name: str | None) -> str | None:
    """Our device role for another tool's role name, or None when none fits.

    >>> our_role("core-switch"), our_role("Access Switch"), our_role("wan-edge"), our_role("pdu")
    ('core', 'access', 'wan', None)
    """
    if not name:
        return None
    words = _key(name).split("_")
    for word, role in _ROLE_WORDS:
        if word in words:
            return role
    return None


#: Words in a circuit type (a NetBox circuit type slug or name) -> our line kind.
_CIRCUIT_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("mstp", "mstp"), ("sdh", "sdh"), ("e1", "sdh"), ("mpls", "mpls_vpn"), ("l3vpn", "mpls_vpn"),
    ("vpn", "mpls_vpn"), ("dark", "dark_fibre"), ("fibre", "dark_fibre"), ("fiber", "dark_fibre"),
    ("internet", "internet"), ("dia", "internet"), ("transit", "internet"),
)


def our_circuit_kind(name: str | None) -> str | None:
    """Our line kind for another tool's circuit type, or None when none fits.

    >>> our_circuit_kind("MPLS-VPN"), our_circuit_kind("dark-fiber"), our_circuit_kind("Internet (DIA)")
    ('mpls_vpn', 'dark_fibre', 'internet')
    >>> our_circuit_kind("SDH E1"), our_circuit_kind("wavelength")
    ('sdh', None)
    """
    if not name:
        return None
    words = _key(name.replace("(", " ").replace(")", " ")).split("_")
    for word, kind in _CIRCUIT_KIND_WORDS:
        if word in words:
            return kind
    return None
