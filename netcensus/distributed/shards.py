"""Split an inventory into collection shards by a routing key (pure functions).

A routing key names the network a device is reachable from: its site's district (the
default), its department, its site, or a site group the city declares in a small YAML file
(``{group: [site, ...]}``). Every key becomes one RQ queue; a key with many devices is cut
into chunks of at most ``chunk`` devices (one job each), so no single job result grows
without bound and a retried shard repeats less work.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import TypeAdapter

from core.errors import InputError, Problem
from inventory.model import Inventory

RoutingKey = Literal["district", "department", "site", "site-group"]
ROUTING_KEYS: tuple[str, ...] = ("district", "department", "site", "site-group")
DEFAULT_CHUNK = 2000

#: What an RQ queue name built from a key may hold (Redis keys allow anything; people type these).
_QUEUE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class Shard:
    """One job: devices of one routing key (one chunk of them when the key has many)."""

    key: str  # the routing key value, e.g. the district "xc"; also the queue the job goes to
    index: int  # chunk number within the key, from 1
    devices: tuple[str, ...]

    @property
    def name(self) -> str:
        """``xc`` or, for a key cut into chunks, ``xc#2``."""
        return self.key if self.index == 1 else f"{self.key}#{self.index}"


def routing_keys(inventory: Inventory, by: str, site_groups: Mapping[str, str] | None = None
                 ) -> dict[str, str]:
    """``device -> key`` for every device of the inventory.

    Raises :class:`InputError` naming each device (with its file:line) that has no key: a
    device whose site is unknown cannot be routed to a collector host that reaches it.
    """
    if by not in ROUTING_KEYS:
        raise InputError([Problem("--by", None, None, f"must be one of {', '.join(ROUTING_KEYS)}, not {by!r}")])
    if by == "site-group" and not site_groups:
        raise InputError([Problem("--by", None, None,
                                  "site-group needs --site-groups FILE (YAML: each group a list of site ids)")])
    keys: dict[str, str] = {}
    problems: list[Problem] = []
    for name, device in inventory.devices.items():
        site = inventory.device_site(name)
        if by == "department":
            key: str | None = device.department
        elif by == "site":
            key = site
        elif by == "district":
            key = inventory.sites[site].district if site in inventory.sites else None
        else:
            key = (site_groups or {}).get(site or "")
        if not key:
            problems.append(Problem(inventory.source("devices", name), None, name,
                                    f"no {by} to route this device's collection by"
                                    + (f" (its site {site!r} is in no group of --site-groups)"
                                       if by == "site-group" else "")))
        elif not _QUEUE_KEY.fullmatch(key):
            problems.append(Problem(inventory.source("devices", name), None, name,
                                    f"{by} {key!r} cannot name a queue (letters, digits, '_', '.', '-')"))
        else:
            keys[name] = key
    if problems:
        raise InputError(problems)
    return keys


def plan_shards(keys: Mapping[str, str], devices: list[str] | None = None, chunk: int = DEFAULT_CHUNK
                ) -> list[Shard]:
    """Shards of ``devices`` (default: every device of ``keys``), keys sorted, devices in order.

    >>> [s.name for s in plan_shards({"a": "x", "b": "y", "c": "x"}, chunk=1)]
    ['x', 'x#2', 'y']
    """
    if chunk < 1:
        raise InputError([Problem("--chunk", None, None, "must be at least 1")])
    by_key: dict[str, list[str]] = {}
    for name in devices if devices is not None else list(keys):
        by_key.setdefault(keys[name], []).append(name)
    return [Shard(key, i // chunk + 1, tuple(names[i:i + chunk]))
            for key, names in sorted(by_key.items()) for i in range(0, len(names), chunk)]


def read_site_groups(path: Path, inventory: Inventory) -> dict[str, str]:
    """``site -> group`` from a YAML file ``{group: [site, ...]}``; errors name the file and group."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise InputError([Problem(str(path), None, None, f"cannot read: {exc.strerror}")]) from None
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        raise InputError([Problem(str(path), line, None, "not valid YAML")]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 1, None, "expected a mapping of group -> list of sites")])
    groups: dict[str, str] = {}
    problems: list[Problem] = []
    for group, sites in data.items():
        if not isinstance(sites, list) or not all(isinstance(s, str) for s in sites):
            problems.append(Problem(str(path), None, str(group), "expected a list of site ids"))
            continue
        for site in sites:
            if site not in inventory.sites:
                problems.append(Problem(str(path), None, str(group), f"{site!r} names no site in the inventory"))
            elif site in groups:
                problems.append(Problem(str(path), None, str(group), f"site {site!r} is already in group "
                                                                     f"{groups[site]!r}"))
            else:
                groups[site] = str(group)
    if problems:
        raise InputError(problems)
    return groups


_INVENTORY_JSON = TypeAdapter(Inventory)


def inventory_payload(inventory: Inventory) -> tuple[str, bytes]:
    """``(sha256, JSON)`` of the validated inventory, as the worker gets it through the broker.

    The declaration sources (file:line) stay behind: workers report by device name.
    """
    text = _INVENTORY_JSON.dump_json(dataclasses.replace(inventory, sources={}))
    return hashlib.sha256(text).hexdigest(), text


def inventory_from_payload(digest: str, text: bytes) -> Inventory:
    """The inventory back from its JSON, refusing text that does not match its digest."""
    if hashlib.sha256(text).hexdigest() != digest:
        raise ValueError(f"inventory {digest[:12]}: content does not match its SHA-256")
    return _INVENTORY_JSON.validate_json(text)
