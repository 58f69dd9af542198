"""Cisco NX-OS structured output (``| json``): version, interfaces, addresses, LLDP detail.

Field names follow the NX-API / ``| json`` schema: ``show version`` (``host_name``,
``chassis_id``, ``proc_board_id``, ``nxos_ver_str`` or ``sys_ver_str`` before 9.x,
``kern_uptm_days/hrs/mins/secs``), ``show interface`` (``TABLE_interface.ROW_interface``:
``interface``, ``state``, ``admin_state``, ``desc``, ``eth_speed``, ``eth_bw`` in kbit/s,
``eth_ip_addr``/``eth_ip_mask``, the averaged rates ``eth_inrate<n>_bits``/``eth_outrate<n>_bits``
over ``eth_load_interval<n>_rx`` seconds, ``vdc_lvl_in_avg_bits``/``vdc_lvl_out_avg_bits``
on mgmt0; VLAN interfaces use ``svi_*`` names), ``show ip interface
vrf all`` (``TABLE_intf.ROW_intf`` paired row by row with ``TABLE_vrf.ROW_vrf``),
``show lldp neighbors detail`` (``TABLE_nbor_detail.ROW_nbor_detail``: ``l_port_id``,
``sys_name``, ``port_id``, ``mgmt_addr``) and ``show cdp neighbors detail``
(``TABLE_cdp_neighbor_detail_info``: ``intf_id``, ``device_id``, ``sysname``, ``port_id``,
``v4mgmtaddr``). Tables of one row come as an object, not a
list: :func:`collectors.parsers.structured.nxos_rows` evens that out. Values are
normalised like :mod:`collectors.parsers.cisco_nxos` does for the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from collectors.facts import Interface
from collectors.normalise import interface_name
from collectors.parsers.base import (
    CommandParser,
    Fragment,
    ParseError,
    info_fragment,
    ipv4_interfaces,
    neighbour,
    neighbours_fragment,
    rate_bps,
)
from collectors.parsers.common import address_list, interface_from_states
from collectors.parsers.structured import json_object, nxos_rows

_CHASSIS_WORDS = re.compile(r"^(?:cisco\s+)?(?P<model>.*?)\s+chassis\b.*$", re.IGNORECASE)
_NEXUS_FAMILY = re.compile(r"^Nexus\s*\d*\s+(?P<model>\S+)$")


def nxos_model(chassis_id: str) -> str:
    """The model in ``chassis_id``, as ``show version`` text names it.

    >>> nxos_model("Nexus9000 C93180YC-FX Chassis"), nxos_model('Nexus 5596 Chassis ("O2 48X10GE Supervisor")')
    ('C93180YC-FX', '5596')
    >>> nxos_model("Nexus5548 Chassis"), nxos_model("NX-OSv Chassis")
    ('Nexus5548', 'NX-OSv')
    """
    text = chassis_id.strip()
    match = _CHASSIS_WORDS.match(text)
    if match:
        text = match["model"]
    family = _NEXUS_FAMILY.match(text)
    return family["model"] if family else text


def _text(row: Mapping[str, Any], *keys: str) -> str:
    """The first non-empty value of ``keys`` as text (old releases send a list for some)."""
    for key in keys:
        value = row.get(key)
        if isinstance(value, list):
            value = next((v for v in value if v not in (None, "")), None)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def read_version(doc: Any) -> Fragment:
    """``show version | json``: host name, chassis model, NX-OS version, serial, kernel uptime."""
    obj = json_object(doc, "host_name and chassis_id")
    if not any(k in obj for k in ("host_name", "chassis_id", "nxos_ver_str", "sys_ver_str")):
        raise ParseError("no host_name, chassis_id or version in the output")
    info = {
        "hostname": _text(obj, "host_name"),
        "model": nxos_model(_text(obj, "chassis_id")),
        "os_version": _text(obj, "nxos_ver_str", "sys_ver_str", "kickstart_ver_str"),
        "serial": _text(obj, "proc_board_id"),
    }
    if "kern_uptm_days" in obj:
        info["uptime"] = ", ".join(f"{_text(obj, f'kern_uptm_{key}') or 0} {unit}(s)"
                                   for key, unit in (("days", "day"), ("hrs", "hour"),
                                                     ("mins", "minute"), ("secs", "second")))
    return info_fragment(info)


def read_interfaces(doc: Any) -> Fragment:
    """``show interface | json``: admin state apart from the link state, as in the text."""
    rows = nxos_rows(doc, "TABLE_interface", "ROW_interface")
    if not rows:
        raise ParseError("no ROW_interface in the output")
    interfaces = []
    for row in rows:
        svi = "svi_line_proto" in row or "svi_admin_state" in row
        state = _text(row, "svi_line_proto" if svi else "state")
        admin = _text(row, "svi_admin_state" if svi else "admin_state").lower()
        reason = _text(row, "state_rsn_desc").lower()
        link = "administratively down" if admin == "down" or "administratively" in reason else state
        address, mask = (_text(row, "svi_ip_addr", "eth_ip_addr"), _text(row, "svi_ip_mask", "eth_ip_mask"))
        interfaces.append(interface_from_states(
            _text(row, "interface"),
            link=link,
            protocol=state,
            description=_text(row, "svi_desc" if svi else "desc").strip('"'),
            speed=_text(row, "eth_speed"),
            bandwidth_kbit=_text(row, "svi_bw", "eth_bw"),
            addresses=address_list(address, mask),
            **_rates(row),
        ))
    return Fragment(interfaces=interfaces)


#: Load intervals NX-OS reports a rate for (``eth_inrate1_bits`` .. ``eth_inrate3_bits``).
_LOAD_INTERVALS = (1, 2, 3)


def _rates(row: Mapping[str, Any]) -> dict[str, float | None]:
    """``in_bps``/``out_bps`` of a row: the rate of the longest load interval (the text's
    ``300 seconds input rate`` beside the ``30 seconds`` one), else mgmt0's average.

    >>> _rates({"eth_load_interval1_rx": 30, "eth_inrate1_bits": "64", "eth_outrate1_bits": "8",
    ...         "eth_load_interval2_rx": "300", "eth_inrate2_bits": "1072", "eth_outrate2_bits": "1896"})
    {'in_bps': 1072.0, 'out_bps': 1896.0}
    >>> _rates({"vdc_lvl_in_avg_bits": 2216, "vdc_lvl_out_avg_bits": "1408"}), _rates({})
    ({'in_bps': 2216.0, 'out_bps': 1408.0}, {'in_bps': None, 'out_bps': None})
    """
    best: tuple[float, float | None, float | None] | None = None
    for n in _LOAD_INTERVALS:
        in_bps = rate_bps(_text(row, f"eth_inrate{n}_bits"))
        out_bps = rate_bps(_text(row, f"eth_outrate{n}_bits"))
        if in_bps is None and out_bps is None:
            continue
        try:
            seconds = float(_text(row, f"eth_load_interval{n}_rx") or 0)
        except ValueError:  # an interval not stated as a number ranks last
            seconds = 0.0
        if best is None or seconds > best[0]:
            best = (seconds, in_bps, out_bps)
    if best is not None:
        return {"in_bps": best[1], "out_bps": best[2]}
    return {"in_bps": rate_bps(_text(row, "vdc_lvl_in_avg_bits")),
            "out_bps": rate_bps(_text(row, "vdc_lvl_out_avg_bits"))}


def _known_table(doc: Any, table: str, *empty_markers: str) -> Mapping[str, Any] | None:
    """The document when it holds ``table``; ``None`` when it is a valid empty answer (no key
    at all, or only the count NX-OS sends beside an empty table); a :class:`ParseError` for
    any other shape: a reply we do not know must never read as "nothing there"."""
    obj = json_object(doc, table)
    if table in obj or (table == "TABLE_intf" and "TABLE_vrf" in obj):
        return obj
    if not obj or (set(obj) <= set(empty_markers) and str(obj.get("neigh_count", "0")).strip() in ("0", "")):
        return None
    raise ParseError(f"no {table} in the output (keys: {', '.join(sorted(map(str, obj)))[:80]})")


def read_addresses(doc: Any) -> Fragment:
    """``show ip interface vrf all | json``: primary and secondary addresses with their VRF.

    The VRF of a row is its own ``vrf-name-out`` when present, else the row of
    ``TABLE_vrf`` at the same position (NX-OS sends the two tables side by side).
    When the two tables differ in length the pairing is unknown: a VRF is kept
    only if every ``TABLE_vrf`` row names the same one.
    """
    obj = _known_table(doc, "TABLE_intf")
    if obj is None or ("TABLE_intf" not in obj and "TABLE_vrf" in obj):  # VRFs without an IP interface
        return Fragment()
    rows = nxos_rows(obj, "TABLE_intf", "ROW_intf")
    vrf_names = [_text(vrf, "vrf-name-out") for vrf in nxos_rows(obj, "TABLE_vrf", "ROW_vrf")]
    if len(vrf_names) != len(rows):
        vrf_names = [vrf_names[0] if len(set(vrf_names)) == 1 else ""] * len(rows)
    interfaces = []
    for row, paired_vrf in zip(rows, vrf_names, strict=True):
        vrf = _text(row, "vrf-name-out") or paired_vrf
        candidates = [f"{_text(row, 'prefix')}/{_text(row, 'masklen')}"]
        for secondary in nxos_rows(row, "TABLE_secondary_address", "ROW_secondary_address"):
            candidates.append(f"{_text(secondary, 'prefix1')}/{_text(secondary, 'masklen1')}")
        interfaces.append(Interface(
            name=interface_name(_text(row, "intf-name")),
            addresses=ipv4_interfaces(candidates),
            vrf=vrf or None,
        ))
    return Fragment(interfaces=interfaces)


def read_lldp(doc: Any) -> Fragment:
    """``show lldp neighbors detail | json``: an empty object or ``neigh_count`` 0 is no
    neighbour; any other object without ``TABLE_nbor_detail`` is an unknown shape."""
    obj = _known_table(doc, "TABLE_nbor_detail", "neigh_count", "neigh_hdr")
    if obj is None:
        return Fragment()
    return neighbours_fragment(
        neighbour(
            local_port=_text(row, "l_port_id"),
            remote_name=_text(row, "sys_name"),
            port_id=_text(row, "port_id"),
            port_description=_text(row, "port_desc"),
            address=_text(row, "mgmt_addr"),
            chassis_id=_text(row, "chassis_id"),
        )
        for row in nxos_rows(obj, "TABLE_nbor_detail", "ROW_nbor_detail")
    )


def _address(value: Any) -> str:
    """A CDP address field: text, or an object/list of addresses on some releases."""
    if isinstance(value, Mapping):
        value = next(iter(value.values()), "")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v), "")
    return str(value or "").strip()


def read_cdp(doc: Any) -> Fragment:
    """``show cdp neighbors detail | json``: the system name, else the Device ID (``name(SERIAL)``)."""
    obj = _known_table(doc, "TABLE_cdp_neighbor_detail_info", "neigh_count")
    if obj is None:
        return Fragment()
    table = nxos_rows(obj, "TABLE_cdp_neighbor_detail_info", "ROW_cdp_neighbor_detail_info")
    return neighbours_fragment(
        neighbour(
            local_port=_text(row, "intf_id"),
            remote_name=_text(row, "sysname"),
            port_id=_text(row, "port_id"),
            address=_address(row.get("v4mgmtaddr")) or _address(row.get("v4addr")),
            protocol="cdp",
            chassis_id=_text(row, "device_id"),
        )
        for row in table
    )


PARSERS: dict[str, CommandParser] = {
    "show version | json": CommandParser(read_version),
    "show interface | json": CommandParser(read_interfaces),
    # An empty answer is how NX-OS says "no IP interface" / "no neighbour" in JSON mode.
    "show ip interface vrf all | json": CommandParser(read_addresses, empty_output_ok=True),
    "show lldp neighbors detail | json": CommandParser(read_lldp, empty_output_ok=True),
    "show cdp neighbors detail | json": CommandParser(read_cdp, empty_output_ok=True),
}
