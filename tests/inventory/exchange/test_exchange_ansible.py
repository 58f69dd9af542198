"""Ansible inventory import: YAML inventories with group/host vars, and ansible-inventory --list output."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from inventory.exchange import DeviceDefaults, import_ansible
from netcensus.errors import InputError

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
