"""NetBox import with the real pynetbox client against a local server of recorded API objects."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest
from netbox_server import FakeNetbox

from core.errors import InputError
from exchange import import_netbox
from exchange.netbox_map import NetboxData, map_netbox
from inventory.loader import load_inventory

TOKEN = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 must not go through a proxy the machine may set."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def netbox() -> FakeNetbox:
    with FakeNetbox(TOKEN) as server:
        yield server


def test_import_maps_netbox_objects_to_an_inventory_that_validates(netbox: FakeNetbox, tmp_path: Path) -> None:
    report = import_netbox(netbox.url, TOKEN, tmp_path)

    assert report.path == tmp_path / "netbox.yaml"
    inventory = load_inventory(tmp_path)
    assert report.counts == {"departments": 3, "sites": 3, "rooms": 2, "devices": 3, "circuits": 2}
    assert set(inventory.departments) == {"egov", "edu", "health"}
    civic = inventory.sites["civic-centre"]
    assert (civic.district, civic.address, civic.coordinates, civic.critical) == (
        "Xiling", "1 Civic Square, Xiling District", (30.5928, 114.3055), True)
    dc = inventory.rooms["dc-main"]
    assert (dc.site, dc.department, dc.racks_total, dc.racks_used, dc.power_kw, dc.yearly_cost_cny,
            dc.power_capacity_kw, dc.built) == ("civic-centre", "egov", 2, 2, 120.5, 2000000, 300,
                                                dt.date(2019, 5, 1))
    edu_room = inventory.rooms["edu-room"]  # no tenant on the location: its site's tenant
    assert (edu_room.department, edu_room.racks_total, edu_room.racks_used) == ("edu", 2, 1)

    core = inventory.devices["qs-dc-core1"]
    assert (core.host, core.platform, core.room, core.role, core.serial, core.department) == (
        "198.51.100.1", "cisco_ios", "dc-main", "core", "FOC1234X0AB", "egov")
    wan = inventory.devices["qs-dc-wan1"]  # primary_ip4 only; department of its room
    assert (wan.host, wan.platform, wan.role, wan.department) == ("198.51.100.11", "huawei", "wan", "egov")
    edu = inventory.devices["edu-core1"]  # NetBox 3.x device_role; room through its rack
    assert (edu.host, edu.platform, edu.role, edu.room) == ("edu-core1", "hp_comware", "core", "edu-room")

    ct = inventory.circuits["CT-QS-0001"]
    assert (ct.carrier, ct.kind, ct.department, ct.bandwidth_mbps, ct.cost_cny, ct.distance_km) == (
        "China Telecom", "mstp", "egov", 100, 3000, 6.5)
    assert (ct.a.site, ct.a.device, ct.a.interface, ct.z.site) == (
        "civic-centre", "qs-dc-wan1", "GigabitEthernet0/0/1", "edu-building")
    assert (ct.contract_start, ct.contract_end) == (dt.date(2021, 3, 15), dt.date(2026, 3, 14))
    cu = inventory.circuits["CU-QS-7781"]  # NetBox 3.x termination shape
    assert (cu.kind, cu.bandwidth_mbps, cu.a.device, cu.z.device, cu.z.interface) == (
        "mpls_vpn", 50, "edu-core1", "qs-dc-core1", "GigabitEthernet1/0/2")


def test_import_says_what_it_could_not_map(netbox: FakeNetbox, tmp_path: Path) -> None:
    report = import_netbox(netbox.url, TOKEN, tmp_path)

    unmapped = {(n.kind, n.name): n.reason for n in report.unmapped}
    assert unmapped == {
        ("rack", "Wall rack"): "in no location: not counted in any machine room",
        ("location", "Building A"): "holds no racks: not a machine room (a building or floor)",
        ("device", "donghu-sw1"): "no tenant on the device, its rack, room or site: its department is unknown",
        ("device", "qs-dc-fw1"): "platform 'fortios': FortiOS is not a netcensus platform",
        ("device", "edu-new-sw"): "status 'planned': not in service",
        ("device", "qs-dc-pdu1"): "no platform given",
        ("circuit", "CM-QS-0003"): "Z end: terminates at a providernetwork, not a site: netcensus needs a "
                                   "site at both ends",
        ("circuit", "CT-QS-0009"): "status 'decommissioned': not billed now",
        ("circuit", "CT-QS-0010"): "no tenant: the paying department is unknown",
        ("circuit", "CT-QS-0011"): "circuit type 'Wavelength' matches no line kind (mstp, sdh, mpls_vpn, "
                                   "dark_fibre, internet)",
    }
    to_fill = {(n.kind, n.name): n.reason for n in report.to_fill}
    assert to_fill == {
        ("site", "Donghu Office"): "no region or site group: district set to 'unknown'",
        ("location", "Machine room"): "power_kw and yearly_cost_cny not in NetBox (custom fields): set to 0",
        ("device", "edu-core1"): "no primary IP: its name is used as the management host",
        ("circuit", "CU-QS-7781"): "cost_cny not in NetBox (custom field): set to 0",
    }


def test_import_follows_every_page_and_always_sends_the_token(netbox: FakeNetbox, tmp_path: Path) -> None:
    import_netbox(netbox.url + "/api/", TOKEN, tmp_path)

    device_pages = [r for r in netbox.requests if r.startswith("/api/dcim/devices/")]
    assert len(device_pages) == 4  # 7 devices, 2 per page
    assert any("offset=6" in r for r in device_pages)
    assert netbox.authorizations and all(a == f"Token {TOKEN}" for a in netbox.authorizations)
    assert {r.split("?")[0] for r in netbox.requests} == {  # list endpoints only, no per-object detail calls
        "/api/tenancy/tenants/", "/api/dcim/sites/", "/api/dcim/locations/", "/api/dcim/racks/",
        "/api/dcim/devices/", "/api/circuits/circuits/", "/api/circuits/circuit-terminations/"}
    assert TOKEN not in (tmp_path / "netbox.yaml").read_text(encoding="utf-8")


def test_a_refused_token_is_an_input_error_that_never_shows_the_token(netbox: FakeNetbox, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        import_netbox(netbox.url, "wrong-token-value", tmp_path)
    (problem,) = caught.value.problems
    assert problem.file == netbox.url and "NetBox refused the token" in problem.message
    assert "wrong-token-value" not in str(caught.value)
    assert not (tmp_path / "netbox.yaml").exists()


def test_an_unreachable_netbox_is_an_input_error(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(InputError, match="cannot read NetBox"):
        import_netbox(f"http://user:pass@127.0.0.1:{port}", TOKEN, tmp_path)


def test_location_slugs_shared_by_two_sites_get_the_site_in_the_room_id() -> None:
    def location(id_: int, site: int) -> dict:
        return {"id": id_, "name": "Server room", "slug": "server-room", "site": {"id": site},
                "tenant": {"id": 1}, "custom_fields": {"power_kw": 3, "yearly_cost_cny": 1000}}

    data = NetboxData(
        tenants=[{"id": 1, "name": "Edu", "slug": "edu"}],
        sites=[{"id": s, "name": f"Site {s}", "slug": f"site{s}", "region": {"name": "Xiling"}} for s in (1, 2)],
        locations=[location(1, 1), location(2, 2)],
        racks=[{"id": 1, "name": "R1", "location": {"id": 1}}, {"id": 2, "name": "R2", "location": {"id": 2}}],
    )
    rooms = map_netbox(data).rooms
    assert [(r.id, r.site) for r in rooms] == [("site1-server-room", "site1"), ("site2-server-room", "site2")]
