"""Real text forms that used to be rejected, and LLDP port ids that are SNMP ifIndex numbers.

- Junos ``show interfaces`` (netcensus' own template): every port and logical unit, every
  IPv4 address of a unit with its prefix length (a ``Local:`` without ``Destination`` is a
  /32), the SNMP ifIndex; lines such as ``Link type : Full-Duplex`` do not stop the read.
- Junos context lines (``{master:0}``, ``{primary:node0}``, ``{backup:1}``) are no output,
  for every Junos text command.
- EOS ``show interfaces`` with ``Internet address is virtual`` (``ip address virtual``): a
  shared address, never the switch's own.
- A neighbour naming the remote port by its ifIndex (``515``) is linked to the remote
  device's port with that ifIndex, and merges with that port's own report.

Expectations are read from the outputs by the small scanners below (or from the
ntc-templates ``.yml`` files), never by calling the code under test.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.citybuild import city, device

from analysis.graph import build_graph
from collectors.base import RawOutputs
from collectors.facts import DeviceFacts, Interface, Neighbour, facts_from_dict, facts_to_dict
from collectors.parse import merge_interfaces, parse_outputs
from inventory.model import Inventory
from netcensus.pipeline import prepare

TESTS = Path(__file__).resolve().parents[1]
CASES = TESTS / "collectors" / "cases"
FIXTURES = TESTS / "fixtures" / "ntc-templates"
CITY = TESTS / "precision" / "city"

#: Every saved Junos ``show interfaces`` text in the repository: real outputs (ntc-templates),
#: the case folders and the precision city's EX.
JUNOS_TEXTS = sorted(FIXTURES.glob("juniper_junos/show_interfaces/*.raw")) + sorted(
    CASES.glob("juniper_junos/*/show_interfaces.txt")) + [CITY / "captures" / "hrss-core1" / "show_interfaces.txt"]


def junos_facts(command: str, text: str) -> DeviceFacts:
    return parse_outputs(RawOutputs("ex1", "juniper_junos", {command: text}))


# --- an independent reading of Junos "show interfaces" -----------------------------------

_HEADING = re.compile(r"^\s*(?:Physical interface: ([^,\s]+),|Logical interface (\S+))", re.MULTILINE)
_DOTTED = r"\d+\.\d+\.\d+\.\d+"


def scanned(text: str) -> dict[str, dict[str, Any]]:
    """Per interface heading: its SNMP ifIndex and the IPv4 addresses of its ``Protocol inet``
    block, each with the prefix length of its Destination (none: /32)."""
    out: dict[str, dict[str, Any]] = {}
    heads = list(_HEADING.finditer(text))
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        block = text[head.start():nxt.start() if nxt else len(text)]
        index = re.search(r"SNMP ifIndex:? (\d+)", block)
        addresses = []
        family = ""
        for line in block.splitlines():
            protocol = re.match(r"\s+Protocol (\S+?),", line)
            if protocol:
                family = protocol.group(1)
            local = re.search(rf"(?:Destination: ([^,]+), )?Local: ({_DOTTED})\b", line)
            if family == "inet" and local:
                length = local.group(1).split("/")[1] if local.group(1) and "/" in local.group(1) else "32"
                addresses.append(f"{local.group(2)}/{length}")
        out[head.group(1) or head.group(2)] = {"snmp_index": int(index.group(1)) if index else None,
                                               "addresses": addresses}
    return out


@pytest.mark.parametrize("path", JUNOS_TEXTS, ids=lambda p: str(p.relative_to(TESTS)))
def test_every_junos_show_interfaces_text_reads_every_interface_address_and_ifindex(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    facts = junos_facts("show interfaces", text)
    assert [p for p in facts.problems if p.command == "show interfaces"] == []
    expected = scanned(text)
    assert expected, "the scanner found no interface: not a show interfaces output"
    got = {i.name: i for i in facts.interfaces}
    assert set(got) == set(expected)
    for name, want in expected.items():
        valid = [a for a in want["addresses"] if not a.startswith("0.")]
        assert (got[name].snmp_index, list(got[name].addresses)) == (want["snmp_index"], valid), name


@pytest.mark.parametrize("raw", sorted(FIXTURES.glob("juniper_junos/show_interfaces/*.raw")), ids=lambda p: p.name)
def test_junos_real_outputs_keep_what_ntc_templates_reads(raw: Path) -> None:
    """Nothing ntc-templates' own template reads from the real outputs is lost: names,
    descriptions, link state and the address it keeps (the last of a unit)."""
    rows = yaml.safe_load(raw.with_suffix(".yml").read_text(encoding="utf-8"))["parsed_sample"]
    facts = {i.name: i for i in junos_facts("show interfaces", raw.read_text(encoding="utf-8")).interfaces}
    for row in rows:
        itf = facts[row["interface"]]
        assert itf.description == row["description"].strip()
        assert itf.oper_up == (row["link_status"].lower() == "up")
        if re.fullmatch(_DOTTED, row["local"]):
            assert f"{row['local']}/{row['destination'].split('/')[1]}" in itf.addresses


def test_an_ex_core_reads_internal_management_and_loopback_units() -> None:
    """The precision city's EX4300: the interfaces ntc-templates rejected, with their roles."""
    facts = junos_facts("show interfaces", (CITY / "captures" / "hrss-core1" / "show_interfaces.txt").read_text())
    by_name = {i.name: i for i in facts.interfaces}
    assert by_name["bme0.0"].addresses == ("128.0.0.1/2", "128.0.0.4/2", "128.0.0.16/2", "128.0.0.63/2")
    assert {by_name[n].role for n in ("bme0", "bme0.0", "jsrv", "jsrv.1")} == {"internal"}
    assert (by_name["em0.0"].role, by_name["lo0.0"].addresses) == ("management", ("10.40.254.1/32",))
    assert by_name["ge-0/0/0"].snmp_index == 515 and by_name["ge-0/0/10"].snmp_index == 525


def test_an_administratively_down_port_and_its_unit_are_admin_down() -> None:
    facts = junos_facts("show interfaces", (CASES / "juniper_junos" / "ex_text" / "show_interfaces.txt").read_text())
    by_name = {i.name: i for i in facts.interfaces}
    assert (by_name["ge-0/0/1"].admin_up, by_name["ge-0/0/1"].oper_up) == (False, False)
    assert (by_name["ge-0/0/1.0"].admin_up, by_name["ge-0/0/1.0"].oper_up) == (False, False)
    assert by_name["ge-0/0/0"].speed_mbps == 1000.0 and by_name["ge-0/0/1"].speed_mbps is None  # "Speed: Auto"


def test_junos_text_and_json_give_the_same_snmp_index() -> None:
    case = CASES / "juniper_junos" / "full"
    text = junos_facts("show interfaces", (case / "show_interfaces.txt").read_text())
    json_facts = junos_facts("show interfaces | display json", (case / "show_interfaces_display_json.txt").read_text())
    from_json = {i.name: i.snmp_index for i in json_facts.interfaces}
    assert {i.name: i.snmp_index for i in text.interfaces} == from_json
    assert all(isinstance(v, int) for v in from_json.values())


# --- Junos context lines ------------------------------------------------------------------

JUNOS_TEXT_COMMANDS = [
    (case, path.name) for case in ("full", "ex_text") for path in sorted((CASES / "juniper_junos" / case).glob("*.txt"))
    if "json" not in path.name and "configuration" not in path.name
]
COMMAND_OF = {"show_version.txt": "show version", "show_chassis_hardware.txt": "show chassis hardware",
              "show_interfaces.txt": "show interfaces", "show_lldp_neighbors.txt": "show lldp neighbors"}


@pytest.mark.parametrize(("case", "file"), JUNOS_TEXT_COMMANDS, ids=lambda v: v)
@pytest.mark.parametrize("context", ["{master:0}", "{backup:1}", "{primary:node0}", "{master}", "{master:0}[edit]"])
def test_junos_context_lines_are_no_output_for_any_text_command(case: str, file: str, context: str) -> None:
    text = (CASES / "juniper_junos" / case / file).read_text(encoding="utf-8").replace("\n{master:0}\n", "\n")
    command = COMMAND_OF[file]
    plain = junos_facts(command, text)
    wrapped = junos_facts(command, f"{context}\n{text}\n{context}\n")
    assert plain.status == "ok" and plain.problems == ()
    assert (wrapped.status, wrapped.problems, wrapped.info, wrapped.interfaces, wrapped.neighbours) == (
        plain.status, plain.problems, plain.info, plain.interfaces, plain.neighbours)


def test_an_lldp_table_followed_by_master_reads_and_a_lone_master_is_no_neighbour() -> None:
    table = (CITY / "captures" / "hrss-core1" / "show_lldp_neighbors.txt").read_text()
    assert table.rstrip().endswith("{master:0}")
    facts = junos_facts("show lldp neighbors", table)
    assert facts.problems == ()
    assert {(n.local_port, n.remote_port) for n in facts.neighbours} == {
        ("ge-0/0/0", "ge-1/0/0"), ("ge-0/0/10", "GigabitEthernet1/0/49")}
    empty = junos_facts("show lldp neighbors", "\n{master:0}\n")
    assert (empty.status, empty.problems, empty.neighbours) == ("ok", (), ())


def test_a_line_that_only_looks_like_a_context_line_inside_a_row_is_kept() -> None:
    """Only a line of its own is removed: a description holding braces stays."""
    text = (CASES / "juniper_junos" / "ex_text" / "show_interfaces.txt").read_text().replace(
        "Description: access port", "Description: access port {master:0}")
    by_name = {i.name: i for i in junos_facts("show interfaces", text).interfaces}
    assert by_name["ge-0/0/2"].description == "access port {master:0}"


# --- EOS "ip address virtual" in text -------------------------------------------------------


def eos_facts(command: str, text: str) -> DeviceFacts:
    return parse_outputs(RawOutputs("leaf1", "arista_eos", {command: text}))


def test_eos_text_virtual_address_is_shared_like_the_json_virtual_ip() -> None:
    text = eos_facts("show interfaces",
                     (CASES / "arista_eos" / "virtual_address_text" / "show_interfaces.txt").read_text())
    by_name = {i.name: i for i in text.interfaces}
    assert text.problems == () or all(p.reason == "missing" for p in text.problems)
    assert (by_name["Vlan110"].addresses, by_name["Vlan110"].shared_addresses) == ((), ("10.50.110.1/24",))
    assert by_name["Vlan120"].addresses == ("10.50.120.2/24", "10.50.121.2/24")  # primary and secondary
    assert (by_name["Ethernet2"].admin_up, by_name["Ethernet2"].oper_up) == (False, False)
    # The JSON form of the same idea (the virtual_address case): virtualIp only, shared too.
    json_case = CASES / "arista_eos" / "virtual_address" / "show_interfaces_json.txt"
    vlan10 = {i.name: i for i in eos_facts("show interfaces | json", json_case.read_text()).interfaces}["Vlan10"]
    assert vlan10.addresses == () and vlan10.shared_addresses


def test_the_precision_citys_eos_text_reads_its_anycast_gateway_as_shared() -> None:
    facts = eos_facts("show interfaces", (CITY / "captures" / "edu-core2" / "show_interfaces.txt").read_text())
    vlan20 = facts.interface("Vlan20")
    assert facts.problems == () and vlan20 is not None
    assert (vlan20.addresses, vlan20.shared_addresses) == ((), ("10.20.20.1/24",))


# --- ifIndex port ids in the graph ----------------------------------------------------------


def inventory(*names: str) -> Inventory:
    return city(devices=[device(n, "s1", platform="juniper_junos") for n in names])


def junos(name: str, *observed: Interface | Neighbour) -> DeviceFacts:
    return DeviceFacts(name, "juniper_junos", interfaces=tuple(o for o in observed if isinstance(o, Interface)),
                       neighbours=tuple(o for o in observed if isinstance(o, Neighbour)))


def links(G) -> list[dict[str, Any]]:
    return [d for _, _, d in G.edges(data=True) if d["kind"] == "link"]


def test_an_ifindex_port_id_names_the_remote_port_and_merges_with_its_own_report() -> None:
    facts = {
        "a": junos("a", Interface("ge-1/0/0", snmp_index=531), Neighbour("ge-1/0/0", "b", "515")),
        "b": junos("b", Interface("ge-0/0/0", snmp_index=515), Interface("ge-0/0/0.0", snmp_index=751),
                   Neighbour("ge-0/0/0", "a", "531")),
    }
    (link,) = links(build_graph(inventory("a", "b"), facts))
    assert link["ports"] == {"a": "ge-1/0/0", "b": "ge-0/0/0"}
    assert link["reported_by"] == ["a", "b"]


def test_an_ifindex_names_the_remote_port_when_only_one_end_reports_the_link() -> None:
    """The remote end's neighbour table was not handed in: its interface facts name the port."""
    facts = {"a": junos("a", Neighbour("ge-1/0/0", "b", "515")),
             "b": junos("b", Interface("ge-0/0/0", snmp_index=515))}
    (link,) = links(build_graph(inventory("a", "b"), facts))
    assert link["ports"] == {"a": "ge-1/0/0", "b": "ge-0/0/0"} and link["reported_by"] == ["a"]


def test_parallel_links_named_by_ifindex_merge_with_the_other_ends_reports() -> None:
    """Two links between one pair: no one-sided guess can pair them, the ifIndex does."""
    facts = {
        "a": junos("a", Neighbour("ge-1/0/0", "b", "515"), Neighbour("ge-1/0/1", "b", "516")),
        "b": junos("b", Interface("ge-0/0/0", snmp_index=515), Interface("ge-0/0/1", snmp_index=516),
                   Neighbour("ge-0/0/0", "a", "ge-1/0/0"), Neighbour("ge-0/0/1", "a", "ge-1/0/1")),
    }
    found = sorted((d["ports"]["a"], d["ports"]["b"], tuple(d["reported_by"])) for d in links(
        build_graph(inventory("a", "b"), facts)))
    assert found == [("ge-1/0/0", "ge-0/0/0", ("a", "b")), ("ge-1/0/1", "ge-0/0/1", ("a", "b"))]


@pytest.mark.parametrize(("b_interfaces", "why"), [
    ((Interface("ge-0/0/0", snmp_index=515), Interface("ge-0/0/1", snmp_index=515)), "two ports hold it"),
    ((Interface("ge-0/0/0", snmp_index=516),), "no port holds it"),
    ((Interface("ge-0/0/0"),), "the device states no ifIndex"),
])
def test_an_ifindex_no_single_remote_port_holds_stays_as_sent(b_interfaces: tuple[Interface, ...], why: str) -> None:
    facts = {"a": junos("a", Neighbour("ge-1/0/0", "b", "515")), "b": junos("b", *b_interfaces)}
    (link,) = links(build_graph(inventory("a", "b"), facts))
    assert link["ports"]["b"] == "515", why


def test_an_ifindex_is_looked_up_on_the_remote_device_only() -> None:
    """The local device's own port 515, or an undeclared neighbour's, names nothing."""
    facts = {"a": junos("a", Interface("ge-0/0/9", snmp_index=515), Neighbour("ge-1/0/0", "stranger", "515"))}
    (link,) = links(build_graph(inventory("a"), facts))
    assert link["ports"] == {"a": "ge-1/0/0", "stranger": "515"}


def test_the_precision_citys_ifindex_links_are_port_for_port_and_seen_from_both_ends() -> None:
    ctx = prepare(CITY / "inventory", CITY / "captures", today=dt.date(2026, 9, 1))
    found = {frozenset(d["ports"].items()): d["reported_by"] for d in links(ctx.graph)}
    assert found[frozenset({("hub-east1", "ge-1/0/0"), ("hrss-core1", "ge-0/0/0")})] == ["hrss-core1", "hub-east1"]
    assert found[frozenset({("hrss-acc1", "GigabitEthernet1/0/49"), ("hrss-core1", "ge-0/0/10")})] == [
        "hrss-acc1", "hrss-core1"]
    assert not [ports for ports in found if any(port.isdigit() for _, port in ports)]


# --- the new field ---------------------------------------------------------------------


def test_snmp_index_survives_the_cache_and_old_entries_read_without_it() -> None:
    facts = DeviceFacts("r1", "juniper_junos", interfaces=(Interface("ge-0/0/0", snmp_index=515),))
    assert facts_from_dict(facts_to_dict(facts)) == facts
    old = facts_to_dict(facts)
    del old["interfaces"][0]["snmp_index"]
    assert facts_from_dict(old).interfaces[0].snmp_index is None


def test_merging_keeps_the_stronger_forms_snmp_index_and_fills_a_missing_one() -> None:
    merged = merge_interfaces([Interface("ge-0/0/0", snmp_index=None), Interface("ge-0/0/0", snmp_index=515),
                               Interface("ge-0/0/1", snmp_index=516), Interface("ge-0/0/1", snmp_index=999)])
    assert [(i.name, i.snmp_index) for i in merged] == [("ge-0/0/0", 515), ("ge-0/0/1", 516)]
