"""Nornir SimpleInventory export (loaded by the real Nornir 3) and import."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from nornir import InitNornir

from core.errors import InputError
from exchange import DeviceDefaults, export_nornir, import_nornir, write_yaml
from inventory.loader import load_inventory
from inventory.model import Inventory

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "inventory"


def _nornir(folder: Path):  # nornir's own type
    return InitNornir(
        runner={"plugin": "serial"},
        logging={"enabled": False},
        inventory={"plugin": "SimpleInventory", "options": {
            "host_file": str(folder / "hosts.yaml"),
            "group_file": str(folder / "groups.yaml"),
            "defaults_file": str(folder / "defaults.yaml"),
        }},
    )


def test_export_loads_in_nornir_with_platforms_groups_and_data(example_inventory: Inventory, tmp_path: Path) -> None:
    export_nornir(example_inventory, tmp_path)
    nr = _nornir(tmp_path)

    assert set(nr.inventory.hosts) == set(example_inventory.devices)
    core = nr.inventory.hosts["qs-dc-core1"]
    assert (core.hostname, core.port, core.platform) == ("198.51.100.1", 22, "cisco_ios")
    assert core.get_connection_parameters("napalm").platform == "ios"
    assert core["department"] == "egov" and core["site"] == "civic-centre" and core["room"] == "dc-main"
    assert "department_egov" in core.groups and "site_civic-centre" in core.groups
    school = nr.inventory.hosts["donghu-school1-sw1"]
    assert (school.port, school.platform) == (2222, "hp_comware")
    edu = nr.filter(filter_func=lambda h: h["department"] == "edu")
    assert set(edu.inventory.hosts) == {d.name for d in example_inventory.devices.values() if d.department == "edu"}


def test_export_writes_no_credentials(sample_inventory: Inventory, tmp_path: Path) -> None:
    export_nornir(sample_inventory, tmp_path)
    nr = _nornir(tmp_path)
    assert all(h.username is None and h.password is None for h in nr.inventory.hosts.values())
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "password" not in text and "secret" not in text and "username" not in text


def test_export_then_import_gives_the_same_devices(sample_inventory: Inventory, tmp_path: Path) -> None:
    export_nornir(sample_inventory, tmp_path)
    result = import_nornir(tmp_path)
    assert result.skipped == ()
    assert {d.name: d for d in result.devices} == sample_inventory.devices


def test_import_resolves_groups_and_defaults_like_nornir(tmp_path: Path) -> None:
    (tmp_path / "hosts.yaml").write_text(textwrap.dedent("""\
        core1:
          hostname: 192.0.2.1
          groups: [edu_routers]
          data: {serial: FOC123, role: core-router}
        sw2:
          hostname: 192.0.2.2
          port: 2222
          platform: huawei_vrpv8
          groups: [edu_switches]
          data: {room: edu-room}
        fw1:
          hostname: 192.0.2.3
          platform: fortinet
          groups: [edu_switches]
        sw3:
          hostname: 192.0.2.4
          connection_options:
            napalm: {platform: nxos_ssh}
        """), encoding="utf-8")
    (tmp_path / "groups.yaml").write_text(textwrap.dedent("""\
        edu:
          data: {department: edu, site: edu-hq}
        edu_routers:
          platform: ios
          groups: [edu]
        edu_switches:
          groups: [edu]
        """), encoding="utf-8")
    (tmp_path / "defaults.yaml").write_text("username: admin\npassword: hunter2\n", encoding="utf-8")

    result = import_nornir(tmp_path)

    devices = {d.name: d for d in result.devices}
    assert set(devices) == {"core1", "sw2"}
    core = devices["core1"]
    assert (core.platform, core.department, core.site, core.role, core.serial) == (
        "cisco_ios", "edu", "edu-hq", "core", "FOC123")
    sw2 = devices["sw2"]
    assert (sw2.platform, sw2.port, sw2.room, sw2.site) == ("huawei", 2222, "edu-room", None)
    reasons = {s.name: s.reason for s in result.skipped}
    assert reasons["fw1"] == "platform 'fortinet': FortiOS is not a netcensus platform"
    assert reasons["sw3"].startswith("no department")
    assert all("hunter2" not in repr(d) for d in result.devices)


def test_import_takes_missing_department_and_site_from_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "hosts.yaml").write_text("sw1: {hostname: sw1.city.example, platform: cisco_nxos}\n",
                                         encoding="utf-8")
    result = import_nornir(tmp_path, DeviceDefaults(department="edu", site="edu-hq", credentials="edu"))
    (device,) = result.devices
    assert (device.platform, device.department, device.site, device.credentials) == (
        "cisco_nxos", "edu", "edu-hq", "edu")


def test_imported_devices_load_into_an_inventory(example_inventory: Inventory, tmp_path: Path) -> None:
    export_nornir(example_inventory, tmp_path / "nornir")
    result = import_nornir(tmp_path / "nornir")
    folder = tmp_path / "inventory"
    for source in EXAMPLES.rglob("*.yaml"):
        if source.parent.name != "devices":
            (folder / source.name).parent.mkdir(parents=True, exist_ok=True)
            (folder / source.name).write_bytes(source.read_bytes())
    write_yaml(folder / "nornir-devices.yaml", {"devices": result.devices})
    assert load_inventory(folder).devices == example_inventory.devices


def test_bad_nornir_files_are_reported_with_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"hosts\.yaml: no such file"):
        import_nornir(tmp_path)
    (tmp_path / "hosts.yaml").write_text("sw1:\n  hostname: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_nornir(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path / "hosts.yaml") and problem.line == 3
