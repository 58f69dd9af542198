"""Nornir SimpleInventory: export the inventory's devices, import a Nornir inventory's hosts.

The export writes ``hosts.yaml``, ``groups.yaml`` and ``defaults.yaml`` as Nornir 3's
``SimpleInventory`` plugin reads them. A host's ``platform`` is its netmiko device type
(what nornir_netmiko reads); the napalm driver, when there is one, goes to
``connection_options.napalm.platform``. Each host belongs to the group of its
department and of its site, whose ``data`` carry the department and site ids, so
``host["department"]`` and ``host["site"]`` work in Nornir through group inheritance. No user name,
password or secret is ever written: set them in Nornir (a ``transform_function``
reading netcensus's credential profiles, or defaults outside the repository).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from core.errors import InputError, Problem
from exchange.hosts import DeviceDefaults, DeviceImport, Skipped, host_to_device
from exchange.platform_names import napalm_driver, nornir_platform
from exchange.writer import write_text_atomic
from inventory.model import Device, Inventory

__all__ = ["export_nornir", "import_nornir"]

HOSTS, GROUPS, DEFAULTS = "hosts.yaml", "groups.yaml", "defaults.yaml"

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_HEADER = ("# Written by netcensus export nornir. No credentials: Nornir takes them from its own\n"
           "# configuration (a transform_function, or defaults kept outside the repository).\n")


def department_group(department: str) -> str:
    return f"department_{department}"


def site_group(site: str) -> str:
    return f"site_{site}"


def export_nornir(inventory: Inventory, out_dir: Path | str) -> list[Path]:
    """Write the devices of ``inventory`` as a Nornir SimpleInventory into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    hosts = {d.name: _host(d, inventory) for d in inventory.devices.values()}
    groups: dict[str, Any] = {}
    for device in inventory.devices.values():
        dept = inventory.departments.get(device.department)
        groups.setdefault(department_group(device.department), {"data": _compact({
            "department": device.department,
            "department_name": dept.name if dept else None,
            "department_local_name": dept.local_name if dept else None,
        })})
        site_id = inventory.device_site(device.name)
        site = inventory.sites.get(site_id) if site_id else None
        if site is not None:
            groups.setdefault(site_group(site.id), {"data": _compact({
                "site": site.id, "site_name": site.name, "district": site.district})})
    files = {HOSTS: hosts, GROUPS: dict(sorted(groups.items())), DEFAULTS: {"data": {}}}
    written = []
    for name, data in files.items():
        text = _HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                                   default_flow_style=False)
        write_text_atomic(out / name, text)
        written.append(out / name)
    return written


def _host(device: Device, inventory: Inventory) -> dict[str, Any]:
    site = inventory.device_site(device.name)
    host: dict[str, Any] = {
        "hostname": device.host,
        "port": device.port,
        "platform": nornir_platform(device.platform),
        "groups": [department_group(device.department)] + ([site_group(site)] if site else []),
        "data": _compact({
            "room": device.room,
            "role": device.role,
            "networks": list(device.networks) or None,
            "serial": device.serial,
            "transport": device.transport,
            "credential_profile": device.credentials,  # a profile's name, resolved by netcensus
        }),
    }
    if device.room is None and device.site:
        host["data"]["site"] = device.site  # declared on the device itself (the group has it too)
    driver = napalm_driver(device.platform)
    if driver:
        host["connection_options"] = {"napalm": {"platform": driver}}
    return host


def _compact(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


# --------------------------------------------------------------------------- import

def import_nornir(directory: Path | str, defaults: DeviceDefaults | None = None) -> DeviceImport:
    """Read a Nornir SimpleInventory folder (hosts.yaml, optional groups.yaml, defaults.yaml).

    Host attributes are resolved as Nornir does: the host's own, then its groups' (in
    order, parents after children), then the defaults. Raises :class:`InputError` for
    files that are missing or not YAML mappings.
    """
    folder = Path(directory)
    defaults = defaults or DeviceDefaults()
    hosts = _read_mapping(folder / HOSTS, required=True)
    groups = _read_mapping(folder / GROUPS, required=False)
    nornir_defaults = _read_mapping(folder / DEFAULTS, required=False)
    devices, skipped = [], []
    for name, host in hosts.items():
        host = host or {}
        if not isinstance(host, Mapping):
            skipped.append(Skipped(str(name), "not a mapping of host attributes"))
            continue
        chain = [host, *_group_chain(host, groups), nornir_defaults]
        result = host_to_device(
            str(name),
            address=_first(chain, "hostname"),
            port=_first(chain, "port"),
            platform=_first(chain, "platform") or _connection_platform(chain),
            data=_merged_data(chain),
            defaults=defaults,
        )
        (devices if isinstance(result, Device) else skipped).append(result)
    return DeviceImport(str(folder), tuple(devices), tuple(skipped))


def _read_mapping(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.is_file():
        if required:
            raise InputError([Problem(str(path), None, None, "no such file: a Nornir SimpleInventory folder "
                                      "holds hosts.yaml (and optionally groups.yaml, defaults.yaml)")])
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError([Problem(str(path), mark.line + 1 if mark else None, None,
                                  f"not valid YAML: {getattr(exc, 'problem', None) or exc}")]) from None
    except RecursionError:  # PyYAML composes recursively: a hostile file nested thousands deep
        raise InputError([Problem(str(path), None, None, "not valid YAML: nested too deeply")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), None, None, f"cannot read: {exc}")]) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise InputError([Problem(str(path), None, None, "must be a mapping of names to attributes")])
    return dict(data)


def _group_chain(host: Mapping[str, Any], groups: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The host's groups, each followed by its own parent groups, depth first, each once."""
    chain: list[Mapping[str, Any]] = []
    seen: set[str] = set()

    def visit(names: Any) -> None:
        for name in names or ():
            if name in seen or not isinstance(groups.get(name), Mapping):
                continue
            seen.add(name)
            chain.append(groups[name])
            visit(groups[name].get("groups"))

    visit(host.get("groups"))
    return chain


def _first(chain: list[Mapping[str, Any]], key: str) -> Any:
    for level in chain:
        value = level.get(key)
        if value is not None:
            return value
    return None


def _connection_platform(chain: list[Mapping[str, Any]]) -> Any:
    """A platform given only per connection plugin (netmiko first: its names are the most precise)."""
    for plugin in ("netmiko", "napalm", "scrapli"):
        for level in chain:
            options = (level.get("connection_options") or {}).get(plugin) or {}
            if isinstance(options, Mapping) and options.get("platform"):
                return options["platform"]
    return None


def _merged_data(chain: list[Mapping[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for level in reversed(chain):  # the host's own data wins
        if isinstance(level.get("data"), Mapping):
            data.update(level["data"])
    return data
