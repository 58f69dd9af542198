"""Ansible inventory import: YAML inventories with group/host vars, and ansible-inventory --list output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.errors import InputError
from exchange import DeviceDefaults, export_ansible, import_ansible
from inventory.model import Inventory

INVENTORY = """\
all:
  vars:
    ansible_connection: ansible.netcommon.network_cli
    ansible_user: netops
    ansible_password: !vault |
      $ANSIBLE_VAULT;1.1;AES256
      62313365396662343061393464336163383764373764613633653634306231386433626436623361
    department: egov
  children:
    civic_centre:
      vars:
        site: civic-centre
      children:
        ios:
          vars:
            ansible_network_os: cisco.ios.ios
          hosts:
            qs-dc-core1:
              ansible_host: 198.51.100.1
              serial: FOC1234X0AB
            qs-dc-edge1:
              ansible_host: 198.51.100.3
              ansible_network_os: cisco.iosxr.iosxr
        huawei:
          hosts:
            qs-dc-core2:
              ansible_host: 198.51.100.2
              ansible_port: 2222
    donghu:
      vars:
        department: donghu
        site: donghu-gov
      hosts:
        donghu-core1:
          ansible_host: 203.0.113.1
          ansible_network_os: hp_comware
        donghu-ap1:
          ansible_host: 203.0.113.9
          ansible_network_os: "{{ os_of[inventory_hostname] }}"
"""


def _write(folder: Path, text: str, name: str = "hosts.yml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_yaml_inventory_hosts_become_devices_with_mapped_platforms(tmp_path: Path) -> None:
    path = _write(tmp_path, INVENTORY)
    _write(tmp_path, "ansible_network_os: ce\n", "group_vars/huawei.yml")
    _write(tmp_path, "role: core\n", "host_vars/qs-dc-core2/role.yml")

    result = import_ansible(path)

    devices = {d.name: d for d in result.devices}
    assert set(devices) == {"qs-dc-core1", "qs-dc-core2", "donghu-core1"}
    core1 = devices["qs-dc-core1"]
    assert (core1.host, core1.platform, core1.department, core1.site, core1.serial) == (
        "198.51.100.1", "cisco_ios", "egov", "civic-centre", "FOC1234X0AB")
    core2 = devices["qs-dc-core2"]
    assert (core2.platform, core2.port, core2.role) == ("huawei", 2222, "core")
    donghu = devices["donghu-core1"]
    assert (donghu.platform, donghu.department, donghu.site) == ("hp_comware", "donghu", "donghu-gov")
    reasons = {s.name: s.reason for s in result.skipped}
    assert reasons == {
        "qs-dc-edge1": "platform 'cisco.iosxr.iosxr': Cisco IOS-XR is not a netcensus platform",
        "donghu-ap1": "platform '{{ os_of[inventory_hostname] }}' is a template: resolve it first "
                      "(ansible-inventory -i INVENTORY --list -y)",
    }
    assert all(d.credentials == "default" for d in result.devices)  # the vaulted password is never read


@pytest.mark.parametrize(("network_os", "platform"), [
    ("cisco.ios.ios", "cisco_ios"), ("ios", "cisco_ios"), ("cisco.nxos.nxos", "cisco_nxos"),
    ("nxos", "cisco_nxos"), ("arista.eos.eos", "arista_eos"), ("eos", "arista_eos"),
    ("junipernetworks.junos.junos", "juniper_junos"), ("junos", "juniper_junos"),
    ("huawei", "huawei"), ("ce", "huawei"), ("community.network.ce", "huawei"),
    ("hp_comware", "hp_comware"), ("comware", "hp_comware"),
])
def test_ansible_network_os_names_map_to_our_platforms(tmp_path: Path, network_os: str, platform: str) -> None:
    path = _write(tmp_path, f"""\
        all:
          hosts:
            r1: {{ansible_host: 192.0.2.1, ansible_network_os: "{network_os}"}}
        """)
    (device,) = import_ansible(path, DeviceDefaults(department="egov", site="hq")).devices
    assert device.platform == platform


def test_deeper_groups_and_host_vars_win(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        all:
          vars: {department: city, site: hq, ansible_network_os: ios}
          children:
            edu:
              vars: {department: edu}
              children:
                edu_core:
                  vars: {site: edu-hq}
                  hosts:
                    sw1: {ansible_host: 192.0.2.1}
                    sw2: {ansible_host: 192.0.2.2, site: edu-annex}
        """)
    _write(tmp_path, "ansible_host: 192.0.2.20\n", "host_vars/sw2.yaml")
    devices = {d.name: d for d in import_ansible(path).devices}
    assert (devices["sw1"].department, devices["sw1"].site) == ("edu", "edu-hq")
    assert (devices["sw2"].site, devices["sw2"].host) == ("edu-annex", "192.0.2.20")


def test_ansible_inventory_list_output_is_read(tmp_path: Path) -> None:
    listing = {
        "_meta": {"hostvars": {
            "r1": {"ansible_host": "192.0.2.1", "ansible_network_os": "junipernetworks.junos.junos",
                   "department": "egov", "site": "hq"},
        }},
        "all": {"children": ["ungrouped", "routers"]},
        "routers": {"hosts": ["r1", "r2"]},
    }
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(listing), encoding="utf-8")
    result = import_ansible(path)
    assert [(d.name, d.platform, d.site) for d in result.devices] == [("r1", "juniper_junos", "hq")]
    assert [s.name for s in result.skipped] == ["r2"]  # listed, but with no variables: no platform


def test_hosts_with_credentials_in_the_address_are_refused_without_echoing_them(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        all:
          hosts:
            r1: {ansible_host: "admin:s3cret@192.0.2.1", ansible_network_os: ios, department: egov, site: hq}
        """)
    (skipped,) = import_ansible(path).skipped
    assert "without user, password or scheme" in skipped.reason and "s3cret" not in skipped.reason


def test_ini_inventories_get_a_conversion_hint(tmp_path: Path) -> None:
    path = _write(tmp_path, "[routers]\nr1 ansible_host=192.0.2.1\n", "hosts.ini")
    with pytest.raises(InputError, match="ansible-inventory -i FILE --list -y"):
        import_ansible(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"hosts\.yml: no such file"):
        import_ansible(tmp_path / "hosts.yml")


# --------------------------------------------------------------------------- export

def _ansible_inventory(path: Path) -> dict:
    """What the real ``ansible-inventory --list`` makes of a file (ansible-core, test extra)."""
    tool = Path(sys.executable).with_name("ansible-inventory")
    done = subprocess.run([str(tool), "-i", str(path), "--list"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "ANSIBLE_LOCAL_TEMP": str(path.parent / ".ansible-tmp"),
                               "ANSIBLE_HOME": str(path.parent / ".ansible"), "ANSIBLE_NOCOLOR": "1"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_export_reads_in_ansible_with_hosts_groups_and_variables(example_inventory: Inventory,
                                                                 tmp_path: Path) -> None:
    listed = _ansible_inventory(export_ansible(example_inventory, tmp_path / "hosts.yml"))
    hostvars = listed["_meta"]["hostvars"]
    assert set(hostvars) == set(example_inventory.devices)
    for device in example_inventory.devices.values():
        variables = hostvars[device.name]
        assert (variables["ansible_host"], variables["ansible_port"]) == (device.host, device.port)
        assert variables["department"] == device.department
        assert device.name in listed[f"department_{device.department}"]["hosts"]
        assert device.name in listed[f"platform_{device.platform}"]["hosts"]
        site = example_inventory.device_site(device.name)
        assert device.name in listed[f"site_{site}"]["hosts"]
    ios = next(d for d in example_inventory.devices.values() if d.platform == "cisco_ios")
    assert hostvars[ios.name]["ansible_network_os"] == "cisco.ios.ios"
    assert hostvars[ios.name]["ansible_connection"] == "ansible.netcommon.network_cli"
    comware = next(d for d in example_inventory.devices.values() if d.platform == "hp_comware")
    assert "ansible_connection" not in hostvars[comware.name]  # no Ansible collection for Comware


def test_export_then_import_gives_the_same_devices_directly_and_through_ansible(
        sample_inventory: Inventory, tmp_path: Path) -> None:
    path = export_ansible(sample_inventory, tmp_path / "inventory" / "hosts.yml")
    direct = import_ansible(path)
    assert direct.skipped == ()
    assert {d.name: d for d in direct.devices} == sample_inventory.devices
    listed = tmp_path / "listed.json"
    listed.write_text(json.dumps(_ansible_inventory(path)), encoding="utf-8")
    through = import_ansible(listed)
    assert {d.name: d for d in through.devices} == sample_inventory.devices


def test_export_writes_no_credentials(sample_inventory: Inventory, tmp_path: Path) -> None:
    text = export_ansible(sample_inventory, tmp_path / "hosts.yml").read_text(encoding="utf-8")
    for word in ("password", "secret", "ansible_user", "become_pass", "private_key"):
        assert word not in text.split("\n", 2)[2]  # past the header, which says where they do go
