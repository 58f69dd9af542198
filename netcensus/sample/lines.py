"""Creating leased lines: ports on both end routers, /30 addresses, fees and contracts."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from netcensus.sample.addressing import AddressBook, ends
from netcensus.sample.city import Circuit, City, Device, End, distance_km
from netcensus.sample.names import CARRIERS, KIND_LOCAL
from netcensus.sample.tariff import contract, monthly_fee, route_km

_KIND_CODE = {"mstp": "MSTP", "sdh": "SDH", "mpls_vpn": "MPLS", "dark_fibre": "DF", "internet": "INET"}
_CARRIER = {code: (name, local) for code, name, local, _ in CARRIERS}


def pick_carrier(city: City) -> str:
    """A carrier code drawn by market share."""
    codes = [c[0] for c in CARRIERS]
    return city.rng.choices(codes, weights=[c[3] for c in CARRIERS])[0]


def _circuit_id(city: City, carrier: str, kind: str, year: int) -> str:
    seq = city.roles.setdefault("_circuit_seq", 0) + 1
    city.roles["_circuit_seq"] = seq
    return f"{carrier}-{_KIND_CODE[kind]}-{year % 100:02d}{seq:05d}"


def _describe(city: City, local: Device, remote_site: str, remote: Device | None, carrier: str,
              kind: str, cid: str) -> str:
    """A WAN port description, Chinese on most devices (as Chinese engineers write them)."""
    local_carrier = _CARRIER[carrier][1]
    if city.roles["chinese"].get(local.name, True):
        if remote is None:
            return f"{local_carrier}互联网出口-{cid}"
        return f"至{city.sites[remote_site].local_name}-{local_carrier}{KIND_LOCAL[kind]}专线-{cid}"
    peer = remote.name.upper() if remote is not None else "INTERNET"
    return f"TO-{peer}-{cid}"


def add_line(
    city: City,
    *,
    a: Device,
    z: Device | None,
    kind: str,
    bandwidth_mbps: float,
    department: str,
    network: str | None,
    subnet: ipaddress.IPv4Network,
    carrier: str | None = None,
    vrf: str | None = None,
    years: int | None = None,
) -> Circuit:
    """Add a line from router ``a`` to router ``z`` (``None``: the carrier's internet edge).

    Both ends get a new port with an address of ``subnet`` (a /30, or a /29 for internet
    lines where the carrier's gateway is the first address) and the line's bandwidth.
    """
    rng = city.rng
    carrier = carrier or pick_carrier(city)
    term = years or rng.choice((3, 3, 5))
    start, end = contract(rng, city.today, years=term)
    cid = _circuit_id(city, carrier, kind, start.year)
    z_site = z.site if z is not None else a.site
    km = route_km(distance_km(city.sites[a.site].coordinates, city.sites[z_site].coordinates)) \
        if z is not None else 0.0
    fee = monthly_fee(kind, bandwidth_mbps, km)
    billing = "yearly" if rng.random() < 0.2 else "monthly"
    cost = round(fee * 12 * 0.95) if billing == "yearly" else fee

    a_addr, z_addr = ends(subnet) if z is not None else (f"{subnet.network_address + 2}/{subnet.prefixlen}", None)
    a_port = a.new_port("uplink", address=a_addr, vrf=vrf, bandwidth_kbps=int(bandwidth_mbps * 1000),
                        description=_describe(city, a, z_site, z, carrier, kind, cid))
    z_end = End(site=z_site)
    if z is not None:
        z_port = z.new_port("uplink", address=z_addr, vrf=vrf, bandwidth_kbps=int(bandwidth_mbps * 1000),
                            description=_describe(city, z, a.site, a, carrier, kind, cid))
        z_end = End(site=z.site, device=z.name, interface=z_port.name)
    circuit = Circuit(
        id=cid, carrier=_CARRIER[carrier][0], kind=kind, department=department, network=network,
        a=End(site=a.site, device=a.name, interface=a_port.name), z=z_end,
        bandwidth_mbps=bandwidth_mbps, cost_cny=cost, billing=billing, distance_km=km,
        contract_start=start, contract_end=end, notice_days=rng.choice((90, 90, 60, 30)),
        early_termination_cny=round(fee * 3) if rng.random() < 0.5 else None,
    )
    city.circuits[cid] = circuit
    return circuit


def p2p_of(book: AddressBook, department: str) -> Callable[[], ipaddress.IPv4Network]:
    """A source of /30s from a department's point-to-point part."""
    return book.blocks[department].next_p2p
