"""Ids and cross references, checked once every file is read (any file may refer to any other).

:func:`register_ids` indexes items by id per section and reports an id declared twice.
:class:`Refs` resolves references against that index; ``CHECKS[section]`` checks one
entity's references and its own cross-field rules (a device's room and site agree, a
circuit end's device is at that end's site, a department's parent chain does not loop,
...), and :func:`check_policy` does the same for the policy.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.platforms import PLATFORMS
from inventory.locations import Item, Problems
from inventory.messages import ENTRY_LABELS, did_you_mean, got
from inventory.model import (
    SECTIONS,
    Approval,
    Circuit,
    Department,
    Device,
    Network,
    Policy,
    Room,
    Waiver,
    Website,
    is_ipv4_address,
)

__all__ = ["CHECKS", "Refs", "check_policy", "register_ids"]

# difflib is linear in the candidates; cap the suggestions so 10,000 broken
# references in a 10,000-device city still report in seconds.
_SUGGESTION_BUDGET = 200_000

_WAIVER_KEY = re.compile(r"^[A-Z]+[0-9]+:\S.*$")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


# --------------------------------------------------------------------------- ids

def _raw_id(item: Item) -> str | None:
    key = SECTIONS[item.section][1]
    value = item.value.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def register_ids(items: list[Item], problems: Problems) -> dict[str, dict[str, Item]]:
    """Index items by id per section; a second declaration of an id is a problem.

    Items that failed validation are indexed too (by their raw id), so references to
    them do not add "unknown ..." noise on top of their own errors.
    """
    index: dict[str, dict[str, Item]] = {section: {} for section in SECTIONS}
    for item in items:
        key = _raw_id(item)
        if key is None:
            continue
        first = index[item.section].get(key)
        if first is not None:
            problems.at(item, (SECTIONS[item.section][1],),
                        f"duplicate {ENTRY_LABELS[item.section]} {key!r}: first declared at "
                        f"{first.file}:{first.line}")
            continue
        index[item.section][key] = item
    return index


# --------------------------------------------------------------------------- references

@dataclass
class Refs:
    """What cross-reference checks read: every id, and the valid entities."""

    ids: dict[str, dict[str, Item]]
    problems: Problems
    budget: int = _SUGGESTION_BUDGET

    def entity(self, section: str, key: str) -> Any:
        item = self.ids[section].get(key)
        return item.checked if item else None

    def require(self, item: Item, loc: tuple[str | int, ...], section: str,
                value: str | None) -> bool:
        """Report ``value`` unless it is an id of ``section``; True when it resolves."""
        if value is None or value in self.ids[section] or not item.ok(str(loc[0])):
            return True
        # A file that could not be read may declare it: say so, the real fix is there.
        unread = " (it may be declared in a file that could not be read, listed first)" \
            if self.problems.unreadable else ""
        self.problems.at(item, loc, f"unknown {ENTRY_LABELS[section]} {value!r}"
                                    f"{self.suggest(value, self.ids[section])}{unread}")
        return False

    def suggest(self, word: str, candidates: dict[str, Any]) -> str:
        if self.problems.full:
            return ""  # the problem is only counted
        self.budget -= len(candidates)
        return did_you_mean(word, candidates) if self.budget >= 0 else ""

    def device_site(self, name: str) -> str | None:
        device = self.entity("devices", name)
        if device is None:
            return None
        if device.site:
            return device.site
        room = self.entity("rooms", device.room) if device.room else None
        return room.site if room else None


def _check_department(d: Department, item: Item, refs: Refs) -> None:
    if d.parent is None or d.id is None:
        return
    if d.parent == d.id:
        refs.problems.at(item, ("parent",), "a department cannot be its own parent")
    elif refs.require(item, ("parent",), "departments", d.parent) and d.parent:
        chain, current = [d.id], d.parent
        while current and current not in chain:
            chain.append(current)
            parent = refs.entity("departments", current)
            current = parent.parent if parent else None
        if current == d.id:
            refs.problems.at(item, ("parent",), "parent chain loops: "
                                                + " -> ".join([*chain, d.id]))


def _check_room(r: Room, item: Item, refs: Refs) -> None:
    refs.require(item, ("site",), "sites", r.site)
    refs.require(item, ("department",), "departments", r.department)
    refs.require(item, ("approval",), "approvals", r.approval)
    if item.ok("racks_used", "racks_total") and r.racks_used > r.racks_total:
        refs.problems.at(item, ("racks_used",),
                         f"racks_used ({r.racks_used}) exceeds racks_total ({r.racks_total})")


def _check_network(n: Network, item: Item, refs: Refs) -> None:
    refs.require(item, ("department",), "departments", n.department)
    refs.require(item, ("approval",), "approvals", n.approval)
    for i, prefix in enumerate(n.prefixes or ()):
        _check_prefix(item, ("prefixes", i), prefix, refs.problems)


def _check_device(d: Device, item: Item, refs: Refs) -> None:
    if d.platform is not None and d.platform not in PLATFORMS:
        refs.problems.at(item, ("platform",),
                         f"unknown platform {d.platform!r}{refs.suggest(d.platform, PLATFORMS)}; "
                         f"known platforms: {', '.join(sorted(PLATFORMS))}")
    refs.require(item, ("department",), "departments", d.department)
    host_problem = _host_problem(d.host) if d.host is not None else None
    if host_problem:
        refs.problems.at(item, ("host",), host_problem)
    if item.ok("room", "site") and d.room is None and d.site is None:
        refs.problems.at(item, (), "a device needs a room (room: ROOM-ID) or, outside any "
                                   "machine room, a site (site: SITE-ID)")
    room_ok = refs.require(item, ("room",), "rooms", d.room)
    site_ok = refs.require(item, ("site",), "sites", d.site)
    room = refs.entity("rooms", d.room) if d.room and room_ok else None
    if site_ok and d.site and room is not None and room.site != d.site:
        refs.problems.at(item, ("site",), f"site {d.site!r} disagrees with room {d.room!r}, "
                                          f"which is at site {room.site!r}")
    for i, network in enumerate(d.networks or ()):
        refs.require(item, ("networks", i), "networks", network)


def _check_circuit(c: Circuit, item: Item, refs: Refs) -> None:
    refs.require(item, ("department",), "departments", c.department)
    refs.require(item, ("network",), "networks", c.network)
    refs.require(item, ("approval",), "approvals", c.approval)
    for name, end in (("a", c.a), ("z", c.z)):
        if end is None:
            continue
        site_ok = refs.require(item, (name, "site"), "sites", end.site)
        if end.device is None or not refs.require(item, (name, "device"), "devices", end.device):
            continue
        at = refs.device_site(end.device)
        if site_ok and at is not None and at != end.site:
            refs.problems.at(item, (name, "device"),
                             f"device {end.device!r} is at site {at!r}, not at this end's "
                             f"site {end.site!r}")
    if c.contract_start and c.contract_end and c.contract_end < c.contract_start:
        refs.problems.at(item, ("contract_end",),
                         f"contract_end {c.contract_end} is before contract_start "
                         f"{c.contract_start}")


def _check_website(w: Website, item: Item, refs: Refs) -> None:
    refs.require(item, ("department",), "departments", w.department)
    refs.require(item, ("approval",), "approvals", w.approval)
    if w.hosted_in and w.hosted_in not in refs.ids["rooms"] \
            and w.hosted_in not in refs.ids["devices"] and not is_ipv4_address(w.hosted_in):
        refs.problems.at(item, ("hosted_in",),
                         f"{w.hosted_in!r} is neither a room id, a device name nor an IPv4 address"
                         f"{refs.suggest(w.hosted_in, {**refs.ids['rooms'], **refs.ids['devices']})}")


def _check_approval(a: Approval, item: Item, refs: Refs) -> None:
    for i, covered in enumerate(a.covers or ()):
        if not any(covered in ids for ids in refs.ids.values()):
            refs.problems.at(item, ("covers", i),
                             f"{covered!r} is not the id of any department, site, room, "
                             "network, device, circuit or website")


def _check_waiver(w: Waiver, item: Item, refs: Refs) -> None:
    if w.key is not None and not _WAIVER_KEY.match(w.key):
        refs.problems.at(item, ("key",), f"a waiver key looks like CODE:subjects, the key of "
                                         f"a finding (e.g. LIN001:CT-001|CU-002){got(w.key)}")


#: The check of each section's entities (sites have no references of their own).
CHECKS: dict[str, Callable[[Any, Item, Refs], None]] = {
    "departments": _check_department, "rooms": _check_room, "networks": _check_network,
    "devices": _check_device, "circuits": _check_circuit, "websites": _check_website,
    "approvals": _check_approval, "waivers": _check_waiver}


def check_policy(policy: Policy, item: Item, refs: Refs) -> None:
    """Check the rooms, networks and departments the policy names, and its prefixes."""
    refs.require(item, ("backbone",), "networks", policy.backbone)
    for i, room in enumerate(policy.central_rooms or ()):
        refs.require(item, ("central_rooms", i), "rooms", room)
    room_plan = getattr(policy, "room_plan", None) if item.ok("room_plan") else None
    for i, room in enumerate(getattr(room_plan, "close", ())):
        refs.require(item, ("room_plan", "close", i), "rooms", room)
    for department, prefixes in (policy.address_plan or {}).items():
        if department not in refs.ids["departments"]:
            refs.problems.at(item, ("address_plan", department),
                             f"unknown department {department!r}"
                             f"{refs.suggest(department, refs.ids['departments'])}", key=True)
        for i, prefix in enumerate(prefixes or ()):
            _check_prefix(item, ("address_plan", department, i), prefix, refs.problems)


def _check_prefix(item: Item, loc: tuple[str | int, ...], prefix: str,
                  problems: Problems) -> None:
    try:
        ipaddress.ip_network(prefix, strict=True)
    except ValueError:
        try:
            network = ipaddress.ip_network(prefix, strict=False)
        except ValueError:
            problems.at(item, loc, f"not an IPv4 or IPv6 network such as 198.51.100.0/24"
                                   f"{got(prefix)}")
        else:
            problems.at(item, loc, f"{prefix!r} has host bits set: did you mean "
                                   f"{network.with_prefixlen}?")


def _host_problem(host: str) -> str | None:
    """Why ``host`` is neither an IP address nor a DNS name, or None when it is fine."""
    if "@" in host or "://" in host:  # may hold a user name or a password: never echo it
        return "must be a bare hostname or IP address, without user, password or scheme"
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
    if len(host) <= 253 and all(_HOST_LABEL.match(label) for label in labels) \
            and not labels[-1].isdigit():
        return None
    return f"must be a hostname or an IP address{got(host)}"
