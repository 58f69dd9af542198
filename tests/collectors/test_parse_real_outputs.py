"""Parsing + normalisation on real device outputs (the ntc-templates test fixtures).

The outputs are vendored, unmodified, in ``tests/fixtures/ntc-templates/`` (source, commit
and licence in its README): the suite reads nothing outside the repository. Without that
folder these tests skip with the reason, and fail when ``CI=true`` (a CI run must not turn
green by skipping its real-output cases).

Every ``.raw`` file of every command we survey is run through :func:`parse_outputs`
and the normalised facts are checked against the fixture's ``.yml`` (what the
ntc-templates parse of that text holds). Expected values are derived from the yml
by the small, independent mapping below, never by calling the code under test;
where the yml holds something a correct survey must not report (an anonymised
``A.B.C.D/XY`` address, a MAC used as management address) the test expects the
corrected value.

Fixture folders left out because we do not survey that command (see
``core/platforms/``): cisco_ios ``show_interfaces_description``,
``show_inventory``, ``show_ip_arp``, ``show_ip_interface_brief``, ``show_lldp_neighbors``
(brief: truncates names and ports); huawei_vrp ``display_arp_all``, ``display_device``,
``display_interface_brief`` and ``display_interface_description`` (``display interface``
carries the same and more); hp_comware ``display_interface_brief`` and
``display_ip_interface`` (``display interface`` carries states and addresses).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from collectors.base import RawOutputs
from collectors.facts import DeviceFacts
from collectors.parse import parse_outputs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ntc-templates"
#: CI sets CI=true (.ci/run does too): there a missing corpus is a failure, not a skip.
ON_CI = os.environ.get("CI", "").strip().lower() == "true"
MISSING = f"real-output fixtures not found at {FIXTURES}"


def corpus_missing_case() -> Any:
    """The one case that stands for a missing corpus: skipped, but run (and failed) under CI."""
    marks = () if ON_CI else (pytest.mark.skip(reason=MISSING),)
    return pytest.param(None, None, None, marks=marks, id="corpus-missing")


def require_corpus(raw: Path | None) -> Path:
    """The case's output file; a missing corpus fails the test (only reached under CI)."""
    if raw is None:
        pytest.fail(f"{MISSING} (CI=true: the vendored corpus is part of the repository)")
    return raw

#: (our platform, fixture platform folder, fixture command folder, command as surveyed)
SURVEYED = [
    ("cisco_ios", "cisco_ios", "show_version", "show version"),
    ("cisco_ios", "cisco_ios", "show_interfaces", "show interfaces"),
    ("cisco_ios", "cisco_ios", "show_lldp_neighbors_detail", "show lldp neighbors detail"),
    ("cisco_ios", "cisco_ios", "show_cdp_neighbors_detail", "show cdp neighbors detail"),
    ("huawei", "huawei_vrp", "display_version", "display version"),
    ("huawei", "huawei_vrp", "display_interface", "display interface"),
    ("huawei", "huawei_vrp", "display_lldp_neighbor", "display lldp neighbor"),
    ("hp_comware", "hp_comware", "display_device_manuinfo", "display device manuinfo"),
    ("hp_comware", "hp_comware", "display_interface", "display interface"),
    ("hp_comware", "hp_comware", "display_lldp_neighbor-information_verbose",
     "display lldp neighbor-information verbose"),
]


def _cases() -> list[Any]:
    if not FIXTURES.is_dir():
        return [corpus_missing_case()]
    cases = []
    for platform, folder, command_folder, command in SURVEYED:
        raws = sorted((FIXTURES / folder / command_folder).glob("*.raw"))
        assert raws, f"no fixtures in {FIXTURES / folder / command_folder}"
        cases += [pytest.param(platform, command, raw, id=f"{folder}/{raw.name}") for raw in raws]
    return cases


# --- the independent expectation mapping ----------------------------------------------

#: Vendor abbreviations that occur in these fixtures -> the documented canonical forms.
_EXPAND = [
    (r"^(?:Gi|GE)(?=\d)", "GigabitEthernet"),
    (r"^(?:Te|XGE)(?=\d)|^Ten-GigabitEthernet|^XGigabitEthernet", "TenGigabitEthernet"),
    (r"^Tw(?=\d)", "TwoGigabitEthernet"),
    (r"^Fa(?=\d)", "FastEthernet"),
    (r"^(?:FortyGigE|40GE)(?=\d)", "FortyGigabitEthernet"),
    (r"^Eth?(?=\d)", "Ethernet"),
    (r"^(?:Po|PO|port-channel|Port-Channel)(?=\d)", "Port-channel"),
    (r"^(?:LoopBack|loopback)(?=\d)", "Loopback"),
    (r"^NULL(?=\d)", "Null"),
]
#: What the fixtures send as a port name when they send one (else MACs, numbers, text).
_PORTLIKE = re.compile(
    r"(?:Gi|GE|Te|Et|Eth|Fa|Tw|Po|GigabitEthernet|TenGigabitEthernet|Ten-GigabitEthernet|"
    r"XGigabitEthernet|FastEthernet|Ethernet|MultiGE)\d+(?:/\d+)*(?:\.\d+)?"
    r"|(?:ge|xe)-\d+/\d+/\d+(?:\.\d+)?|eth\d+"
)

_MACLIKE = re.compile(r"[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}|[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}"
                      r"|[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}")


def port(name: str) -> str:
    name = (name or "").strip()
    for pattern, canonical in _EXPAND:
        name = re.sub(pattern, canonical, name)
    return name


def ip_or_none(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


def ipv4_or_none(text: str) -> str | None:
    try:
        itf = ipaddress.IPv4Interface((text or "").strip())
    except ValueError:
        return None
    return None if itf.ip.is_unspecified or "/" not in text else str(itf)


def speed(text: str) -> float | None:
    match = re.match(r"(\d+)\s*([MG])?", text or "")
    if not match:
        return None
    return float(match[1]) * (1000 if match[2] == "G" else 1)


def first_per_name(rows: list[dict]) -> list[dict]:
    """The first record of each interface (a few fixtures repeat an interface)."""
    seen: dict[str, dict] = {}
    for row in rows:
        seen.setdefault(port(row["interface"]), row)
    return list(seen.values())


def one(value: Any) -> str:
    if isinstance(value, list):
        return next((v for v in value if v), "")
    return (value or "").strip()


#: Where the yml is wrong about the text itself (checked by reading the .raw file).
ERRATA: dict[str, dict[str, str]] = {
    # ntc-templates 9.3 takes the "Output:" counter heading for the interface name.
    "hp_comware_display_interface_release_0615P16.raw": {"Output:": "Eth-channel2/0:0"},
}


# --- the test ---------------------------------------------------------------------------


@pytest.mark.parametrize(("platform", "command", "raw"), _cases())
def test_real_output_parses_to_the_expected_facts(platform: str, command: str, raw: Path) -> None:
    text = require_corpus(raw).read_text(encoding="utf-8", errors="replace")
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text(encoding="utf-8"))["parsed_sample"]
    for row in expected:
        fix = ERRATA.get(raw.name, {})
        if row.get("interface") in fix:
            row["interface"] = fix[row["interface"]]
    facts = parse_outputs(RawOutputs("dev1", platform, {command: text}))

    assert facts.status == "ok", [str(p) for p in facts.problems]
    assert facts.problems == ()
    CHECKS[(platform, command)](facts, expected)


def check_ios_version(facts: DeviceFacts, rows: list[dict]) -> None:
    row = rows[0]
    assert facts.info.hostname == row["hostname"]
    assert facts.info.model == row["hardware"][0]
    assert facts.info.serial == row["serial"][0]
    assert facts.info.os_version == row["version"]
    assert facts.info.uptime == row["uptime"]
    assert facts.info.vendor == "Cisco"


def check_ios_interfaces(facts: DeviceFacts, rows: list[dict]) -> None:
    by_name = {i.name: i for i in facts.interfaces}
    assert len(by_name) == len(facts.interfaces)
    assert set(by_name) == {port(r["interface"]) for r in rows}
    for row in first_per_name(rows):
        itf = by_name[port(row["interface"])]
        assert itf.description == row["description"].strip()
        assert itf.admin_up == (row["link_status"] != "administratively down")
        assert itf.oper_up == row["protocol_status"].startswith("up")
        address = f"{row['ip_address']}/{row['prefix_length']}" if row["ip_address"] else ""
        assert itf.addresses == ((ipv4_or_none(address),) if ipv4_or_none(address) else ())
        if speed(row["speed"]) is not None:
            assert itf.speed_mbps == speed(row["speed"])
        elif not itf.oper_up:
            assert itf.speed_mbps is None  # a down port's bandwidth figure is no line speed


def expected_neighbours(rows: list[dict], *, port_id: str, description: str,
                        protocol: str = "lldp") -> Counter:
    out: Counter = Counter()
    for row in rows:
        name = one(row.get("neighbor_name")) or one(row.get("chassis_id"))
        if not name:
            continue
        pid, desc = one(row.get(port_id)), one(row.get(description)) if description else ""
        if protocol == "cdp" or _PORTLIKE.fullmatch(pid):
            remote = pid
        elif _PORTLIKE.fullmatch(desc) or (_MACLIKE.fullmatch(pid) and desc and " " not in desc):
            remote = desc  # the name is in the description (MAC or index as port id)
        else:
            remote = pid or desc
        out[(port(one(row["local_interface"])), name, port(remote),
             ip_or_none(one(row.get("mgmt_address"))), protocol)] = 1
    return out


def actual_neighbours(facts: DeviceFacts) -> Counter:
    return Counter((n.local_port, n.remote_name, n.remote_port, n.remote_address, n.protocol)
                   for n in facts.neighbours)


def check_ios_lldp(facts: DeviceFacts, rows: list[dict]) -> None:
    assert actual_neighbours(facts) == expected_neighbours(
        rows, port_id="neighbor_port_id", description="neighbor_interface")


def check_ios_cdp(facts: DeviceFacts, rows: list[dict]) -> None:
    assert actual_neighbours(facts) == expected_neighbours(
        rows, port_id="neighbor_interface", description="", protocol="cdp")


def check_huawei_version(facts: DeviceFacts, rows: list[dict]) -> None:
    row = rows[0]
    # VRP appends marketing words to the model ("S7706 Terabit Routing Switch"): the
    # model is the leading part, and always its first word.
    assert row["model"].startswith(facts.info.model)
    assert facts.info.model.split()[0] == row["model"].split()[0]
    assert facts.info.os_version == f"{row['vrp_version']} ({row['product_version']})"
    assert facts.info.uptime == row["uptime"]
    assert facts.info.vendor == "Huawei"


def check_huawei_interfaces(facts: DeviceFacts, rows: list[dict]) -> None:
    by_name = {i.name: i for i in facts.interfaces}
    assert set(by_name) == {port(r["interface"]) for r in rows}
    for row in first_per_name(rows):
        itf = by_name[port(row["interface"])]
        assert itf.description == row["interface_description"].strip()
        assert itf.admin_up == (not row["link_status"].startswith("Administratively"))
        protocol = row["protocol_status"] or row["link_status"]
        assert itf.oper_up == protocol.upper().startswith("UP")
        address = ipv4_or_none(row["ip_address"])
        if address:  # ntc keeps one address; we keep every one
            assert address in itf.addresses
        assert all(ipv4_or_none(a) for a in itf.addresses)
        if row["speed"]:
            assert itf.speed_mbps == speed(row["speed"])


def check_huawei_lldp(facts: DeviceFacts, rows: list[dict]) -> None:
    assert actual_neighbours(facts) == expected_neighbours(
        rows, port_id="neighbor_port_id", description="neighbor_interface")


def check_comware_manuinfo(facts: DeviceFacts, rows: list[dict]) -> None:
    usable = [r for r in rows if r["device_serial_number"] not in ("", "NONE")]
    for kind in ("Chassis", "Slot", "slot", ""):
        chosen = [r for r in usable if r["slot_type"] == kind]
        if chosen:
            break
    assert facts.info.serial == chosen[0]["device_serial_number"]
    assert facts.info.model == chosen[0]["device_name"]
    assert facts.info.vendor == "H3C"


def check_comware_interfaces(facts: DeviceFacts, rows: list[dict]) -> None:
    by_name = {i.name: i for i in facts.interfaces}
    assert set(by_name) == {port(r["interface"]) for r in rows}
    for row in first_per_name(rows):
        itf = by_name[port(row["interface"])]
        assert itf.description == row["description"].strip()
        assert itf.admin_up == (row["line_status"] != "Administratively DOWN")
        state = row["protocol_status"] or row["line_status"]
        assert itf.oper_up == state.startswith("UP")
        assert itf.addresses == tuple(a for a in map(ipv4_or_none, row["ip_address"]) if a)
        if speed(row["speed"]) is not None:
            assert itf.speed_mbps == speed(row["speed"])


def check_comware_lldp(facts: DeviceFacts, rows: list[dict]) -> None:
    assert actual_neighbours(facts) == expected_neighbours(
        rows, port_id="neighbor_interface", description="neighbor_interface_description")


CHECKS = {
    ("cisco_ios", "show version"): check_ios_version,
    ("cisco_ios", "show interfaces"): check_ios_interfaces,
    ("cisco_ios", "show lldp neighbors detail"): check_ios_lldp,
    ("cisco_ios", "show cdp neighbors detail"): check_ios_cdp,
    ("huawei", "display version"): check_huawei_version,
    ("huawei", "display interface"): check_huawei_interfaces,
    ("huawei", "display lldp neighbor"): check_huawei_lldp,
    ("hp_comware", "display device manuinfo"): check_comware_manuinfo,
    ("hp_comware", "display interface"): check_comware_interfaces,
    ("hp_comware", "display lldp neighbor-information verbose"): check_comware_lldp,
}


# --- platforms beyond the first three: the same outputs, lighter checks ----------------

MORE = [
    ("cisco_nxos", "cisco_nxos", "show_version", "show version"),
    ("cisco_nxos", "cisco_nxos", "show_interface", "show interface"),
    ("cisco_nxos", "cisco_nxos", "show_lldp_neighbors_detail", "show lldp neighbors detail"),
    ("cisco_nxos", "cisco_nxos", "show_cdp_neighbors_detail", "show cdp neighbors detail"),
    ("arista_eos", "arista_eos", "show_version", "show version"),
    ("arista_eos", "arista_eos", "show_hostname", "show hostname"),
    ("arista_eos", "arista_eos", "show_interfaces", "show interfaces"),
    ("arista_eos", "arista_eos", "show_lldp_neighbors_detail", "show lldp neighbors detail"),
    ("juniper_junos", "juniper_junos", "show_version", "show version"),
    ("juniper_junos", "juniper_junos", "show_chassis_hardware", "show chassis hardware"),
    ("juniper_junos", "juniper_junos", "show_interfaces", "show interfaces"),
    ("juniper_junos", "juniper_junos", "show_lldp_neighbors", "show lldp neighbors"),
]


def _more_cases() -> list[Any]:
    if not FIXTURES.is_dir():
        return [corpus_missing_case()]
    return [pytest.param(platform, command, raw, id=f"{folder}/{raw.name}")
            for platform, folder, command_folder, command in MORE
            for raw in sorted((FIXTURES / folder / command_folder).glob("*.raw"))]


_NAME_FIELDS = {"hostname": "hostname", "serial": "serial", "serial_number": "serial",
                "chassis_serial_number": "serial"}


@pytest.mark.parametrize(("platform", "command", "raw"), _more_cases())
def test_more_platforms_parse_real_outputs(platform: str, command: str, raw: Path) -> None:
    """Names (interfaces, neighbours, host, serial) come through normalised, nothing fails."""
    text = require_corpus(raw).read_text(encoding="utf-8", errors="replace")
    rows = yaml.safe_load(raw.with_suffix(".yml").read_text(encoding="utf-8"))["parsed_sample"]
    facts = parse_outputs(RawOutputs("dev1", platform, {command: text}))

    assert facts.status == "ok", [str(p) for p in facts.problems]
    if "interface" in rows[0]:
        assert {i.name for i in facts.interfaces} == {port(r["interface"]) for r in rows}
    if "local_interface" in rows[0]:
        expected = {(port(r["local_interface"]), r["neighbor_name"] or r.get("chassis_id", ""))
                    for r in rows}
        assert {(n.local_port, n.remote_name) for n in facts.neighbours} == expected
    for field, attribute in _NAME_FIELDS.items():
        value = one(rows[0].get(field, ""))
        if value:
            assert getattr(facts.info, attribute) == value


# --- averaged traffic rates (the input of LIN004's samples) ----------------------------

#: Fixture folders of the interface commands, and the command as surveyed.
RATES = [
    ("cisco_ios", "cisco_ios", "show_interfaces", "show interfaces"),
    ("cisco_nxos", "cisco_nxos", "show_interface", "show interface"),
    ("huawei", "huawei_vrp", "display_interface", "display interface"),
    ("hp_comware", "hp_comware", "display_interface", "display interface"),
]

#: "5 minute input rate", "Last 300 seconds input rate:", "Last 300 second output:" ...
_AVERAGE_LINE = re.compile(r"\b(\d+)\s+(second|minute)s?\s+(input|output)\b", re.IGNORECASE)


def _rate_cases() -> list[Any]:
    if not FIXTURES.is_dir():
        return [corpus_missing_case()]
    return [pytest.param(platform, command, raw, id=f"{folder}/{raw.name}")
            for platform, folder, command_folder, command in RATES
            for raw in sorted((FIXTURES / folder / command_folder).glob("*.raw"))]


def interface_blocks(text: str, names: list[str]) -> dict[str, str]:
    """The text of each interface: from its heading line to the next interface's heading.

    The headings are found in the order the yml lists the interfaces (``NAME is up``,
    ``NAME current state``, or the name alone on its line).
    """
    starts: list[tuple[str, int]] = []
    cursor = 0
    for name in names:
        heading = re.compile(rf"^\s*{re.escape(name)}(?:\s+is\b|\s+current\s+state|\s*$)", re.MULTILINE)
        match = heading.search(text, cursor)
        assert match, f"no heading line for {name} after offset {cursor}"
        starts.append((name, match.start()))
        cursor = match.end()
    blocks: dict[str, str] = {}
    for (name, start), (_, end) in zip(starts, [*starts[1:], ("", len(text))], strict=True):
        blocks.setdefault(name, text[start:end])
    return blocks


def expected_rate(block: str, direction: str) -> float | None:
    """The averaged rate of one direction in an interface's text, in bit/s.

    Of the lines "N seconds/minutes <direction> ...", the one over the longest
    interval (the first of equals); its bits/sec figure, else its bytes/sec figure x 8.
    A "Realtime" line is no average.
    """
    best: tuple[int, float] | None = None
    for line in block.splitlines():
        average = _AVERAGE_LINE.search(line)
        if average is None or average[3].lower() != direction or "realtime" in line.lower():
            continue
        seconds = int(average[1]) * (60 if average[2].lower() == "minute" else 1)
        after = line[average.end():]
        bits = re.search(r"([\d.]+)\s*bits/sec", after)
        octets = re.search(r"([\d.]+)\s*bytes/sec", after)
        figure = float(bits[1]) if bits else float(octets[1]) * 8 if octets else None
        if figure is not None and (best is None or seconds > best[0]):
            best = (seconds, figure)
    return best[1] if best else None


@pytest.mark.parametrize(("platform", "command", "raw"), _rate_cases())
def test_real_output_rates_are_the_devices_averaged_rates(platform: str, command: str, raw: Path) -> None:
    text = require_corpus(raw).read_text(encoding="utf-8", errors="replace")
    rows = yaml.safe_load(raw.with_suffix(".yml").read_text(encoding="utf-8"))["parsed_sample"]
    names = [ERRATA.get(raw.name, {}).get(r["interface"], r["interface"]) for r in rows]
    facts = parse_outputs(RawOutputs("dev1", platform, {command: text}))

    for name, block in interface_blocks(text, names).items():
        itf = facts.interface(port(name))
        assert itf is not None, name
        assert (itf.in_bps, itf.out_bps) == (expected_rate(block, "input"), expected_rate(block, "output")), name


def test_rate_fixtures_cover_bits_and_bytes_forms() -> None:
    """The rate test above is no empty check: the fixtures hold both forms, with traffic."""
    if not FIXTURES.is_dir():
        if not ON_CI:
            pytest.skip(MISSING)
        require_corpus(None)
    bits_lines = bytes_only_lines = busy = 0
    for _, folder, command_folder, _ in RATES:
        for raw in (FIXTURES / folder / command_folder).glob("*.raw"):
            for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
                if _AVERAGE_LINE.search(line) and "realtime" not in line.lower():
                    bits_lines += "bits/sec" in line
                    bytes_only_lines += "bytes/sec" in line and "bits/sec" not in line
                    busy += bool(re.search(r"[1-9]\d*\s*b(?:it|yte)s/sec", line))
    assert bits_lines > 100 and bytes_only_lines > 20 and busy > 50


# --- the corpus itself ------------------------------------------------------------------

#: Fixture folders other tests read (tests/collectors/test_parse_outputs.py: summary and brief forms).
READ_ELSEWHERE = [
    ("cisco_ios", "show_ip_interface_brief"), ("cisco_ios", "show_lldp_neighbors"),
    ("cisco_nxos", "show_ip_interface_brief"), ("cisco_nxos", "show_lldp_neighbors"),
    ("arista_eos", "show_ip_interface_brief"), ("arista_eos", "show_lldp_neighbors"),
]


def test_the_vendored_corpus_is_whole_and_unmodified() -> None:
    """Every command folder the tests read holds outputs, each with its yml, byte for byte the
    upstream files (SHA256SUMS), with ntc-templates' licence and the README naming the source."""
    if not FIXTURES.is_dir():
        if not ON_CI:
            pytest.skip(MISSING)
        require_corpus(None)
    assert (FIXTURES / "LICENSE").read_text(encoding="utf-8").count("Apache License") >= 1
    assert "networktocode/ntc-templates" in (FIXTURES / "README.md").read_text(encoding="utf-8")
    folders = {(folder, command_folder) for _, folder, command_folder, _ in SURVEYED + MORE + RATES}
    for folder, command_folder in sorted(folders | set(READ_ELSEWHERE)):
        raws = sorted((FIXTURES / folder / command_folder).glob("*.raw"))
        assert raws, f"no outputs in {FIXTURES / folder / command_folder}"
        assert all(raw.with_suffix(".yml").is_file() for raw in raws), command_folder
    listed = {}
    for line in (FIXTURES / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        checksum, name = line.split(maxsplit=1)
        listed[name] = checksum
    present = {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*") if p.suffix in (".raw", ".yml")}
    assert present == set(listed)  # nothing lost, nothing added without its checksum
    changed = [name for name, checksum in sorted(listed.items())
               if hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest() != checksum]
    assert changed == []  # an edited output would test the parser on text no device wrote
