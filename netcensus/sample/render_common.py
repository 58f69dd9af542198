"""What every vendor renderer needs: a device's view of itself and of its neighbours.

A :class:`DeviceView` bundles one device, what it sees over LLDP/CDP (each neighbour
as the :class:`Advert` that neighbour sends) and a private random generator seeded by
the city seed and the device name, so a device's counters do not depend on the order
devices are rendered in.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from netcensus.sample.city import City, Device, Port
from netcensus.sample.hardware import cisco_short
from netcensus.sample.names import DNS_DOMAIN

#: The wall-clock time of every capture: 09:00 on the city's "today", plus a few minutes per device.
CAPTURE_HOUR = 9


@dataclass(frozen=True, slots=True)
class Advert:
    """What a device advertises about one of its ports over LLDP (and CDP)."""

    system_name: str
    port_id: str  # in the advertising vendor's own naming
    port_description: str
    chassis_mac: int
    mgmt_address: str | None
    description: tuple[str, ...]  # system description, one line each
    router: bool
    platform: str  # the advertiser's platform (cisco_ios, huawei, hp_comware)
    model: str


@dataclass
class DeviceView:
    """One device as its renderer sees it."""

    device: Device
    lldp: list[tuple[Port, Advert]]
    cdp: list[tuple[Port, Advert]]
    rng: random.Random
    now: dt.datetime
    uptime: dt.timedelta
    default_route: str | None = None  # next hop of the default route
    vrfs: list[str] = field(default_factory=list)

    @property
    def booted(self) -> dt.datetime:
        return self.now - self.uptime


def hostname(dev: Device) -> str:
    """The configured host name: Huawei engineers write sysnames in capitals."""
    if dev.advertised_name:
        return dev.advertised_name
    return dev.name.upper() if dev.platform == "huawei" else dev.name


def lldp_name(dev: Device) -> str:
    """The LLDP/CDP system name: Cisco appends its DNS domain."""
    return f"{hostname(dev)}.{DNS_DOMAIN}" if dev.platform == "cisco_ios" and dev.declared else hostname(dev)


def system_description(dev: Device) -> tuple[str, ...]:
    """The system description a device sends, in its vendor's words."""
    model = dev.model
    if dev.platform == "cisco_ios":
        if model.name.startswith("ISR"):
            head = (f"Cisco IOS Software [Fuji], ISR Software ({model.image}), Version {model.os_version}, "
                    "RELEASE SOFTWARE (fc2)")
            compiled = "Compiled Thu 22-Aug-19 18:09 by mcpre"
        elif model.name.startswith("C9300"):
            head = (f"Cisco IOS Software [Gibraltar], Catalyst L3 Switch Software ({model.image}), "
                    f"Version {model.os_version}, RELEASE SOFTWARE (fc5)")
            compiled = "Compiled Thu 09-Jul-20 21:49 by mcpre"
        else:
            head = (f"Cisco IOS Software, C2960X Software ({model.image}), Version {model.os_version}, "
                    "RELEASE SOFTWARE (fc3)")
            compiled = "Compiled Wed 26-Aug-20 10:36 by mcpre"
        return (head, "Technical Support: http://www.cisco.com/techsupport",
                "Copyright (c) 1986-2020 by Cisco Systems, Inc.", compiled)
    if dev.platform == "huawei":
        what = {"router": "Router", "switch": "Routing Switch", "firewall": "Firewall"}[model.kind]
        return ("Huawei Versatile Routing Platform Software", f"VRP (R) software, Version 5.170 ({model.image})",
                "Copyright (C) 2000-2021 HUAWEI TECH CO., LTD", f"Huawei {model.name} {what}")
    return (f"H3C Comware Platform Software, Software Version {model.os_version}", f"H3C {model.name}",
            "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.")


def advert(dev: Device, port: Port) -> Advert:
    """What ``dev`` says about ``port``: Cisco names its ports short (``Gi1/0/1``)."""
    port_id = cisco_short(port.name) if dev.platform == "cisco_ios" else port.name
    return Advert(lldp_name(dev), port_id, port.description or port.name, dev.mac, dev.host,
                  system_description(dev), dev.model.routed, dev.platform, dev.model.name)


def views(city: City) -> dict[str, DeviceView]:
    """A view of every device that has a capture, keyed by device name."""
    everyone = {**city.devices, **city.roles.get("undeclared", {})}
    seen: dict[str, list[tuple[Port, Advert]]] = {}
    for local, local_port, remote, remote_port in _link_ends(city):
        r = everyone[remote]
        seen.setdefault(local, []).append((everyone[local].ports[local_port], advert(r, r.ports[remote_port])))
    out = {}
    base = dt.datetime.combine(city.today, dt.time(CAPTURE_HOUR))
    routes = _default_routes(city)
    for dev in city.devices.values():
        if not dev.captured:
            continue
        rng = random.Random(f"{city.seed}/{dev.name}")
        order = {name: i for i, name in enumerate(dev.ports)}
        lldp = sorted(seen.get(dev.name, []), key=lambda pa: order[pa[0].name])
        cdp = [(p, a) for p, a in lldp if a.platform == "cisco_ios"] if dev.platform == "cisco_ios" else []
        now = base + dt.timedelta(minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
        uptime = dt.timedelta(days=rng.randint(12, 800), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
        vrfs = sorted({p.vrf for p in dev.ports.values() if p.vrf})
        out[dev.name] = DeviceView(dev, lldp, cdp, rng, now, uptime, routes.get(dev.name), vrfs)
    return out


def _link_ends(city: City) -> Iterator[tuple[str, str, str, str]]:
    """Each cable twice, once from each end: ``(device, port, far device, far port)``."""
    for link in city.links:
        yield link.a, link.a_port, link.b, link.b_port
        yield link.b, link.b_port, link.a, link.a_port


def _default_routes(city: City) -> dict[str, str]:
    """Department WAN routers point their default route at the far end of their first extranet line."""
    routes: dict[str, str] = {}
    for circuit in city.circuits.values():
        dev = city.devices.get(circuit.a.device or "")
        if dev and dev.role == "wan" and circuit.network == city.backbone and circuit.z.device \
                and dev.name not in routes:
            peer = city.devices[circuit.z.device].ports[circuit.z.interface]
            routes[dev.name] = str(ipaddress.IPv4Interface(peer.address).ip)
    return routes


# -- small formatting helpers -------------------------------------------------------------------
def uptime_words(delta: dt.timedelta, *, years: bool = True) -> str:
    """``1 year, 12 weeks, 3 days, 4 hours, 22 minutes`` (Cisco) or without years (Huawei, H3C)."""
    days = delta.days
    parts = []
    if years and days >= 365:
        y, days = divmod(days, 365)
        parts.append(f"{y} year{'s' if y > 1 else ''}")
    weeks, days = divmod(days, 7)
    hours, minutes = delta.seconds // 3600, delta.seconds % 3600 // 60
    parts += [f"{weeks} week{'s' if weeks != 1 else ''}", f"{days} day{'s' if days != 1 else ''}",
              f"{hours} hour{'s' if hours != 1 else ''}", f"{minutes} minute{'s' if minutes != 1 else ''}"]
    return ", ".join(parts)


def mac_dotted(mac: int) -> str:
    """Cisco style ``7c21.0e00.0140``."""
    h = f"{mac:012x}"
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def mac_dashed(mac: int) -> str:
    """Huawei/H3C style ``00e0-fc00-0140``."""
    h = f"{mac:012x}"
    return f"{h[0:4]}-{h[4:8]}-{h[8:12]}"


def port_mac(dev: Device, port: Port) -> int:
    """Each port gets its own MAC after the device's base MAC."""
    return dev.mac + 1 + list(dev.ports).index(port.name) % 63


@dataclass(frozen=True, slots=True)
class Counters:
    """Traffic counters of one interface (zero when it is down)."""

    in_bps: int
    out_bps: int
    in_pps: int
    out_pps: int
    in_packets: int
    out_packets: int
    in_bytes: int
    out_bytes: int
    in_bcast: int
    in_mcast: int


def counters(view: DeviceView, port: Port) -> Counters:
    """Plausible counters: a share of the line's rate (of 1 Gbit/s on LAN ports), summed over the uptime.

    Lines run busier than LAN ports, and busier than LIN004's underuse threshold (20 % at
    the 95th percentile): the sample plants no underused line. A line never runs faster
    than its port. A VLAN interface only sees traffic to the device itself.
    """
    if not port.oper_up:
        return Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    rng = view.rng
    if port.bandwidth_kbps:
        line_bps = port.bandwidth_kbps * 1000
        rate = min(line_bps, port.speed_mbps * 1_000_000) if port.speed_mbps else line_bps
        busy = (0.25, 0.6)
    elif port.vlan_interface:
        rate, busy = 1_000_000_000, (0.00005, 0.0005)
    else:
        rate, busy = min(port.speed_mbps, 1000) * 1_000_000, (0.002, 0.08)
    in_bps, out_bps = int(rate * rng.uniform(*busy)), int(rate * rng.uniform(*busy))
    size_in, size_out = rng.randint(420, 900), rng.randint(300, 800)
    in_pps, out_pps = max(1, in_bps // 8 // size_in), max(1, out_bps // 8 // size_out)
    seconds = int(view.uptime.total_seconds() * rng.uniform(0.1, 0.3))  # nights and weekends are quiet
    in_packets, out_packets = in_pps * seconds, out_pps * seconds
    return Counters(in_bps, out_bps, in_pps, out_pps, in_packets, out_packets, in_packets * size_in,
                    out_packets * size_out, in_packets // 500, in_packets // 90)


def configured_vlans(dev: Device) -> list[int]:
    """The VLANs a switch configuration declares: its access VLANs and those of its VLAN interfaces."""
    return sorted({p.access_vlan for p in dev.ports.values() if p.access_vlan} |
                  {p.vlan_interface for p in dev.ports.values() if p.vlan_interface})


def mask(address: str) -> tuple[str, str]:
    """``10.1.2.3/24`` -> (``10.1.2.3``, ``255.255.255.0``)."""
    iface = ipaddress.IPv4Interface(address)
    return str(iface.ip), str(iface.network.netmask)


def fake_secret(rng: random.Random, alphabet: str, length: int) -> str:
    """A random string that looks like a hash; it hashes nothing (the redactor removes it)."""
    return "".join(rng.choice(alphabet) for _ in range(length))


B64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
HUAWEI_CIPHER = "!\"#$&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]_`abcdefghijklmnopqrstuvwxyz{|}~"


# -- Huawei VRP and H3C Comware: one lineage, the same state words and interface configuration --
def vrp_states(port: Port) -> tuple[str, str]:
    """The (link, line protocol) states ``display interface`` prints for a port."""
    if port.shutdown:
        return "Administratively DOWN", "DOWN"
    return ("UP", "UP") if port.carrier else ("DOWN", "DOWN")


def vrp_interface_tail(dev: Device, port: Port, *, bandwidth_unit_kbps: int) -> list[str]:
    """The configuration lines of an ``interface`` block from the VPN instance to ``shutdown``.

    Huawei configures ``bandwidth`` in Mbit/s (``bandwidth_unit_kbps=1000``), H3C in kbit/s (1).
    """
    lines: list[str] = []
    if port.vrf:
        lines.append(f" ip binding vpn-instance {port.vrf}")
    if port.address:
        ip, netmask = mask(port.address)
        lines.append(f" ip address {ip} {netmask}")
    if port.bandwidth_kbps:
        lines.append(f" bandwidth {port.bandwidth_kbps // bandwidth_unit_kbps}")
    nat = {n.outside_port: n for n in dev.static_nats}.get(port.name)
    if nat is not None:
        lines.append(f" nat server protocol tcp global {nat.global_address} {nat.port} inside "
                     f"{nat.inside_address} {nat.port}")
    if dev.nat_overload == port.name:
        lines.append(" nat outbound 2000")
    if port.shutdown:
        lines.append(" shutdown")
    return lines
