"""Field validation: unknown keys, types, required fields, dates, choices, numbers, credentials."""

from __future__ import annotations

import pytest
from inventory_helpers import InventoryDir, line_of

from inventory.loader import CREDENTIALS_MESSAGE

CIRCUIT = """\
circuits:
  - id: CT-QS-1
    carrier: China Telecom
    kind: mstp
    department: city
    a: {site: hq, device: hq-sw1}
    z: {site: branch}
    bandwidth_mbps: 100
    cost_cny: 2000
"""


def test_unknown_key_points_at_the_key_and_suggests_the_field(inv: InventoryDir) -> None:
    text = CIRCUIT + "    bandwith_mbps: 200\n"
    inv.write("circuits.yaml", text)
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == (
        "circuits.yaml", line_of(text, "bandwith_mbps"), "circuits[0].bandwith_mbps")
    assert problem.message == "unknown key 'bandwith_mbps' (did you mean 'bandwidth_mbps'?)"


def test_unknown_key_in_a_circuit_end_suggests_from_the_end_fields(inv: InventoryDir) -> None:
    inv.write("circuits.yaml", CIRCUIT.replace("z: {site: branch}", "z: {site: branch, interfce: Gi0/1}"))
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (line_of(CIRCUIT, "z:"), "circuits[0].z.interfce")
    assert problem.message == "unknown key 'interfce' (did you mean 'interface'?)"


def test_unknown_key_without_a_close_match_lists_the_known_keys(inv: InventoryDir) -> None:
    inv.write("sites.yaml", "sites:\n  - {id: s2, name: x, district: D, zzz: 1}\n")
    problem = inv.only_problem()
    assert problem.field == "sites[0].zzz"
    assert "known keys: address, coordinates, critical, district, id" in problem.message


def test_missing_required_field_points_at_the_entry(inv: InventoryDir) -> None:
    text = "rooms:\n  - id: r2\n    site: hq\n    department: city\n    racks_total: 2\n" \
           "    racks_used: 1\n    power_kw: 1\n"
    inv.write("rooms.yaml", text)
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("rooms.yaml", 2, "rooms[0].yearly_cost_cny")
    assert problem.message == "required field is missing"


def test_wrong_type_names_the_value(inv: InventoryDir) -> None:
    text = CIRCUIT.replace("cost_cny: 2000", "cost_cny: about 2000")
    inv.write("circuits.yaml", text)
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (line_of(text, "cost_cny"), "circuits[0].cost_cny")
    assert problem.message == "must be a number (got 'about 2000')"


def test_list_field_given_a_single_value(inv: InventoryDir) -> None:
    inv.write("d.yaml", "devices:\n  - {name: d2, host: 192.0.2.9, platform: huawei, "
                        "department: city, site: hq, networks: lan}\n")
    problem = inv.only_problem()
    assert problem.field == "devices[0].networks"
    assert problem.message == "must be a list (got 'lan')"


def test_circuit_end_given_a_single_value(inv: InventoryDir) -> None:
    inv.write("circuits.yaml", CIRCUIT.replace("z: {site: branch}", "z: branch"))
    problem = inv.only_problem()
    assert problem.field == "circuits[0].z"
    assert problem.message == "must be a mapping with keys site, device, interface (got 'branch')"


def test_number_where_text_is_expected_suggests_quotes(inv: InventoryDir) -> None:
    inv.write("circuits.yaml", CIRCUIT.replace("id: CT-QS-1", "id: 0123"))
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (2, "circuits[0].id")
    assert problem.message == "must be text, but YAML reads 0123 as a number: put it in quotes ('0123')"


def test_bad_date(inv: InventoryDir) -> None:
    text = CIRCUIT + "    contract_start: 1st of May\n"
    inv.write("circuits.yaml", text)
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (line_of(text, "contract_start"), "circuits[0].contract_start")
    assert problem.message.startswith("must be a date YYYY-MM-DD (got '1st of May')")


def test_enum_value_lists_the_choices(inv: InventoryDir) -> None:
    text = CIRCUIT.replace("kind: mstp", "kind: leased")
    inv.write("circuits.yaml", text)
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (line_of(text, "kind:"), "circuits[0].kind")
    assert problem.message == ("must be one of 'mstp', 'sdh', 'mpls_vpn', 'dark_fibre' or "
                               "'internet' (got 'leased')")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("cost_cny", "-5", "must be >= 0 (got -5)"),
    ("bandwidth_mbps", "0", "must be > 0 (got 0)"),
    ("notice_days", "-1", "must be >= 0 (got -1)"),
    ("distance_km", "-0.5", "must be >= 0 (got -0.5)"),
])
def test_negative_numbers(inv: InventoryDir, field: str, value: str, message: str) -> None:
    text = CIRCUIT.replace("cost_cny: 2000", "cost_cny: 2000" if field != "cost_cny" else "")
    text = text.replace("bandwidth_mbps: 100", "bandwidth_mbps: 100" if field != "bandwidth_mbps" else "")
    text += f"    {field}: {value}\n"
    inv.write("circuits.yaml", text)
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (line_of(text, f"{field}: {value}"), f"circuits[0].{field}")
    assert problem.message == message


def test_id_with_spaces_is_refused(inv: InventoryDir) -> None:
    inv.write("sites.yaml", "sites:\n  - {id: new site, name: x, district: D}\n")
    problem = inv.only_problem()
    assert problem.field == "sites[0].id"
    assert problem.message.startswith("must be an id: letters, digits")


def test_policy_fields_are_validated(inv: InventoryDir) -> None:
    text = "policy:\n  approval_required_from: soon\n  tariff_bandwidth_exponent: 2\n"
    inv.write("policy.yaml", text)
    first, second = inv.problems()
    assert (first.file, first.line, first.field) == ("policy.yaml", 2, "policy.approval_required_from")
    assert (second.line, second.field) == (3, "policy.tariff_bandwidth_exponent")
    assert second.message == "must be <= 1 (got 2)"


def test_second_policy_is_refused(inv: InventoryDir) -> None:
    inv.write("a.yaml", "policy:\n  backbone: lan\n")
    inv.write("b.yaml", "sites: []\npolicy:\n  backbone: lan\n")
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("b.yaml", 2, "policy")
    assert problem.message == "policy is already declared at a.yaml:1; declare it once"


@pytest.mark.parametrize("key", ["password", "enable_secret", "snmp_community", "apiToken", "ssh_key"])
def test_credential_keys_are_refused_without_echoing_the_value(inv: InventoryDir, key: str) -> None:
    text = f"devices:\n  - name: d2\n    host: 192.0.2.9\n    {key}: Hunter2-Value\n" \
           "    platform: huawei\n    department: city\n    site: hq\n"
    inv.write("devices.yaml", text)
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("devices.yaml", 4, f"devices[0].{key}")
    assert problem.message == CREDENTIALS_MESSAGE
    assert "Hunter2" not in str(problem)


def test_credential_keys_are_found_anywhere(inv: InventoryDir) -> None:
    text = """\
    snmp_community: public-Hunter2
    sites:
      - id: s2
        name: x
        district: D
        access: {badge_secret: Hunter2}
    """
    inv.write("creds.yaml", text)
    problems = inv.problems()
    assert [(p.line, p.field) for p in problems] == [
        (1, "snmp_community"), (6, "sites[0].access"), (6, "sites[0].access.badge_secret")]
    assert problems[0].message == problems[2].message == CREDENTIALS_MESSAGE
    assert problems[1].message.startswith("unknown key 'access'")
    assert not any("Hunter2" in str(p) for p in problems)


def test_credentials_profile_and_waiver_key_are_fields_not_secrets(inv: InventoryDir) -> None:
    inv.write("ok.yaml", """\
    devices:
      - {name: d2, host: 192.0.2.9, platform: huawei, department: city, site: hq, credentials: core-ro}
    waivers:
      - {key: "LIN001:CT-1|CU-2", reason: backup path, approved_by: office}
    """)
    inventory = inv.load()
    assert inventory.devices["d2"].credentials == "core-ro"
    assert list(inventory.waivers) == ["LIN001:CT-1|CU-2"]


def test_host_with_user_and_password_is_refused_without_echo(inv: InventoryDir) -> None:
    inv.write("d.yaml", "devices:\n  - {name: d2, host: 'admin:Hunter2@192.0.2.9', "
                        "platform: huawei, department: city, site: hq}\n")
    problem = inv.only_problem()
    assert problem.field == "devices[0].host"
    assert "without user, password" in problem.message and "Hunter2" not in str(problem)


def test_credentials_in_an_ignored_extension_key_are_still_refused(inv: InventoryDir) -> None:
    inv.write("ext.yaml", "x-defaults:\n  platform: huawei\n  enable_password: Hunter2\n")
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("ext.yaml", 3, "x-defaults.enable_password")
    assert problem.message == CREDENTIALS_MESSAGE
