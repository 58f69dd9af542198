"""Write a large, valid inventory as YAML text, for the scale test and the benchmark.

For ``devices`` devices the city has about four entities per device (rooms, sites,
networks, circuits, websites, approvals), split over several files like a real survey.
Text is formatted directly: ``yaml.dump`` would dominate the run time of the benchmark.
"""

from __future__ import annotations

from pathlib import Path

PLATFORMS = ("cisco_ios", "huawei", "hp_comware")
CARRIERS = ("China Telecom", "China Unicom", "China Mobile")


def city_counts(devices: int) -> dict[str, int]:
    """How many entities of each section a city of ``devices`` devices gets."""
    return {
        "departments": max(devices // 50, 2),
        "sites": max(devices * 3 // 4, 2),
        "rooms": max(devices // 4, 2),
        "networks": max(devices // 4, 2),
        "devices": devices,
        "circuits": devices,
        "websites": max(devices // 2, 1),
        "approvals": max(devices // 10, 1),
        "waivers": max(devices // 100, 1),
    }


def _lines_departments(n: int) -> list[str]:
    out = ["departments:"]
    for d in range(n):
        out += [f"  - id: dept-{d}", f"    name: Department {d}", f"    local_name: 部门{d}",
                f"    kind: {('municipal', 'district', 'vertical')[d % 3]}"]
        if d >= 3:
            out.append(f"    parent: dept-{d % 3}")
    return out


def _lines_sites_rooms(c: dict[str, int]) -> list[str]:
    out = ["sites:"]
    for s in range(c["sites"]):
        out += [f"  - id: site-{s}", f"    name: Site {s}", f"    district: District {s % 12}",
                f"    coordinates: [{30 + s % 100 / 1000:.3f}, {114 + s % 97 / 1000:.3f}]"]
    out.append("rooms:")
    for r in range(c["rooms"]):
        out += [f"  - id: room-{r}", f"    site: site-{r}", f"    department: dept-{r % c['departments']}",
                "    racks_total: 10", f"    racks_used: {r % 10}", "    power_kw: 12.5",
                "    yearly_cost_cny: 250000", "    built: 2018-05-01",
                f"    approval: appr-{r % c['approvals']}"]
    return out


def _lines_networks(c: dict[str, int]) -> list[str]:
    out = ["networks:"]
    for n in range(c["networks"]):
        out += [f"  - id: net-{n}", f"    name: Network {n}", f"    department: dept-{n % c['departments']}",
                "    kind: lan", f"    prefixes: [10.{n // 256 % 256}.{n % 256}.0/24]"]
    return out


def _lines_devices(c: dict[str, int], start: int, stop: int) -> list[str]:
    out = ["devices:"]
    for d in range(start, stop):
        host = f"10.{d // 65536 % 256}.{d // 256 % 256}.{d % 254 + 1}"
        out += [f"  - name: dev-{d}", f"    host: {host}",
                f"    platform: {PLATFORMS[d % 3]}", f"    department: dept-{d % c['departments']}",
                f"    room: room-{d % c['rooms']}", "    role: access",
                f"    networks: [net-{d % c['networks']}]", f"    serial: SN{d:08d}"]
    return out


def _lines_circuits(c: dict[str, int]) -> list[str]:
    out = ["circuits:"]
    for i in range(c["circuits"]):
        a_dev, z_dev = i % c["devices"], (i + 7) % c["devices"]
        a_site, z_site = a_dev % c["rooms"], z_dev % c["rooms"]
        out += [f"  - id: CIR-{i:06d}", f"    carrier: {CARRIERS[i % 3]}", "    kind: mstp",
                f"    department: dept-{i % c['departments']}",
                f"    a: {{site: site-{a_site}, device: dev-{a_dev}, interface: GigabitEthernet0/0/1}}",
                f"    z: {{site: site-{z_site}, device: dev-{z_dev}}}",
                f"    bandwidth_mbps: {100 * (1 + i % 10)}", f"    cost_cny: {1000 + i % 5000}",
                "    contract_start: 2020-01-01", "    contract_end: 2025-12-31"]
    return out


def _lines_rest(c: dict[str, int]) -> list[str]:
    out = ["websites:"]
    for w in range(c["websites"]):
        out += [f"  - domain: site{w}.city.example", f"    department: dept-{w % c['departments']}",
                f"    hosted_in: room-{w % c['rooms']}"]
    out.append("approvals:")
    for a in range(c["approvals"]):
        out += [f"  - id: appr-{a}", f"    title: Approval {a}", "    date: 2019-01-01",
                f"    covers: [room-{a % c['rooms']}]"]
    out.append("waivers:")
    for w in range(c["waivers"]):
        out += [f"  - key: LIN001:CIR-{w:06d}", "    reason: planned", "    approved_by: office"]
    out += ["policy:", "  backbone: net-0", "  central_rooms: [room-0]"]
    return out


def write_city(directory: Path, devices: int) -> dict[str, int]:
    """Write the city's files into ``directory``; return the entity counts per section."""
    c = city_counts(devices)
    directory.mkdir(parents=True, exist_ok=True)
    half = devices // 2
    files = {
        "departments.yaml": _lines_departments(c["departments"]),
        "sites.yaml": _lines_sites_rooms(c),
        "networks.yaml": _lines_networks(c),
        "devices/part1.yaml": _lines_devices(c, 0, half),
        "devices/part2.yaml": _lines_devices(c, half, devices),
        "circuits.yaml": _lines_circuits(c),
        "other.yml": _lines_rest(c),
    }
    for name, lines in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return c
