"""Ansible inventories: export the inventory's devices, import an Ansible inventory's hosts.

The export writes one YAML inventory file: every device under ``all.hosts`` with its
variables (``ansible_host``, ``ansible_port``, ``ansible_network_os`` and, where an Ansible
collection exists for the platform, ``ansible_connection: ansible.netcommon.network_cli``;
then netcensus's ``department``, ``site``, ``room``, ``role``, ``networks``, ``serial``,
``transport`` and ``credential_profile``, the names the import reads back), and three
families of groups to aim playbooks at: ``department_<id>``, ``site_<id>`` and
``platform_<name>``. No user name, password or secret is ever written: Ansible takes them
from its own configuration (vault, ``--ask-pass``, environment). H3C Comware has no Ansible
collection: its hosts carry ``ansible_network_os: hp_comware`` and no connection plugin.

The import:

Reads a YAML inventory (``all: {hosts:, vars:, children:}``, with ``group_vars/`` and
``host_vars/`` folders beside it) or the JSON/YAML that ``ansible-inventory --list``
prints (``_meta.hostvars``, where Ansible has already resolved every variable).
Variables are resolved the way Ansible does for inventories: ``all`` first, then
groups by depth (parents before children, same depth in name order), then the host's
own. The address is ``ansible_host``, the port ``ansible_port``, the platform
``ansible_network_os`` (``cisco.ios.ios``, ``ios``, ``ce``, ...; see
:mod:`exchange.platform_names`). INI inventories: convert them first with
``ansible-inventory -i hosts.ini --list -y``. Vault-encrypted values are never read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from core.errors import InputError, Problem
from exchange.hosts import DeviceDefaults, DeviceImport, host_to_device
from exchange.platform_names import ansible_network_cli, ansible_network_os
from exchange.writer import write_text_atomic
from inventory.model import Device, Inventory

__all__ = ["export_ansible", "import_ansible"]

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_HEADER = ("# Written by netcensus export ansible. No credentials: Ansible takes them from its own\n"
           "# configuration (ansible-vault, --ask-pass, environment variables).\n")
#: The connection plugin of the platforms an Ansible network collection serves.
NETWORK_CLI = "ansible.netcommon.network_cli"


def export_ansible(inventory: Inventory, out_file: Path | str) -> Path:
    """Write the devices of ``inventory`` as an Ansible YAML inventory file at ``out_file``."""
    hosts: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, None]] = {}
    for device in inventory.devices.values():
        hosts[device.name] = _host_vars(device, inventory)
        site = inventory.device_site(device.name)
        for group in (f"department_{device.department}", f"site_{site}" if site else None,
                      f"platform_{device.platform}"):
            if group:
                groups.setdefault(group, {})[device.name] = None
    data = {"all": {"hosts": hosts,
                    "children": {name: {"hosts": members} for name, members in sorted(groups.items())}}}
    out = Path(out_file)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, _HEADER + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                                               default_flow_style=False))
    return out


def _host_vars(device: Device, inventory: Inventory) -> dict[str, Any]:
    network_os = ansible_network_os(device.platform)
    variables: dict[str, Any] = {"ansible_host": device.host, "ansible_port": device.port}
    if network_os:
        variables["ansible_network_os"] = network_os
        if ansible_network_cli(device.platform):
            variables["ansible_connection"] = NETWORK_CLI
    else:  # a plain host (linux): ssh, and our platform for the way back
        variables["netcensus_platform"] = device.platform
    site = inventory.device_site(device.name)
    variables.update({k: v for k, v in {
        "department": device.department,
        "room": device.room,
        "site": None if device.room else site,
        "role": device.role,
        "networks": list(device.networks) or None,
        "serial": device.serial,
        "transport": device.transport,
        "credential_profile": device.credentials,  # a profile's name, resolved by netcensus
    }.items() if v is not None})
    return variables

_VAR_SUFFIXES = ("", ".yml", ".yaml", ".json")


class _Vaulted:
    """Stands for an ``!vault`` value: encrypted, never decrypted, never written."""

    def __repr__(self) -> str:
        return "<vault>"


class _InventoryLoader(yaml.SafeLoader):
    """Safe YAML plus Ansible's ``!vault`` and ``!unsafe`` tags."""


_InventoryLoader.add_constructor("!vault", lambda loader, node: _Vaulted())
_InventoryLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


@dataclass
class _Group:
    name: str
    depth: int = 0
    vars: dict[str, Any] = field(default_factory=dict)
    hosts: dict[str, dict[str, Any]] = field(default_factory=dict)  # host -> vars given here
    children: list[str] = field(default_factory=list)


def import_ansible(path: Path | str, defaults: DeviceDefaults | None = None) -> DeviceImport:
    """The devices of the Ansible inventory file at ``path``.

    Raises :class:`InputError` when the file is missing, not YAML/JSON, or not an inventory.
    """
    source = Path(path)
    defaults = defaults or DeviceDefaults()
    data = _load(source)
    if "_meta" in data and isinstance(data["_meta"], Mapping):
        hostvars = {str(k): dict(v or {}) for k, v in (data["_meta"].get("hostvars") or {}).items()}
        for name in _listed_hosts(data):
            hostvars.setdefault(name, {})
    else:
        groups = _groups(data, source)
        hostvars = _resolve(groups, source.parent)
    devices, skipped = [], []
    for name, variables in hostvars.items():
        result = host_to_device(
            name,
            address=variables.get("ansible_host"),
            port=variables.get("ansible_port"),
            platform=variables.get("ansible_network_os") or variables.get("netcensus_platform"),
            data=variables,
            defaults=defaults,
        )
        (devices if isinstance(result, Device) else skipped).append(result)
    return DeviceImport(str(source), tuple(devices), tuple(skipped))


def _load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(str(path), None, None, "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), None, None, f"cannot read: {exc}")]) from None
    data = _parse(text, str(path))
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        hint = " (an INI inventory? convert it: ansible-inventory -i FILE --list -y)" if isinstance(data, str) \
            else ""
        raise InputError([Problem(str(path), None, None, f"not an Ansible YAML inventory{hint}")])
    return dict(data)


def _parse(text: str, where: str) -> Any:
    try:
        return yaml.load(text, Loader=_InventoryLoader)  # safe: a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        hint = "" if not text.lstrip().startswith("[") else \
            " (an INI inventory? convert it: ansible-inventory -i FILE --list -y)"
        raise InputError([Problem(where, mark.line + 1 if mark else None, None,
                                  f"not valid YAML: {getattr(exc, 'problem', None) or exc}{hint}")]) from None
    except RecursionError:  # PyYAML composes recursively: a hostile file nested thousands deep
        raise InputError([Problem(where, None, None, "not valid YAML: nested too deeply")]) from None


def _listed_hosts(data: Mapping[str, Any]) -> Iterator[str]:
    """Hosts named in the groups of ``ansible-inventory --list`` output (maybe without vars)."""
    for name, group in data.items():
        if name != "_meta" and isinstance(group, Mapping):
            for host in group.get("hosts") or ():
                yield str(host)


def _groups(data: Mapping[str, Any], source: Path) -> dict[str, _Group]:
    """Every group of a YAML inventory, with its depth below ``all``."""
    groups: dict[str, _Group] = {"all": _Group("all")}
    top = data.get("all") or {}
    if not isinstance(top, Mapping):
        raise InputError([Problem(str(source), None, "all", "a group must be a mapping of hosts, vars, children")])
    children = dict(top.get("children") or {})
    children.update({name: body for name, body in data.items() if name != "all"})  # implicit children of all
    _walk("all", {**top, "children": children}, 0, groups, source, ())
    return groups


def _walk(name: str, body: Any, depth: int, groups: dict[str, _Group], source: Path, path: tuple[str, ...]
          ) -> None:
    if name in path:
        raise InputError([Problem(str(source), None, name, f"group {name!r} contains itself: "
                                  f"{' -> '.join((*path, name))}")])
    group = groups.setdefault(name, _Group(name))
    group.depth = max(group.depth, depth)
    if body is None:
        return
    if not isinstance(body, Mapping):
        raise InputError([Problem(str(source), None, name, "a group must be a mapping of hosts, vars, children")])
    group.vars.update(body.get("vars") or {})
    for host, variables in (body.get("hosts") or {}).items():
        group.hosts.setdefault(str(host), {}).update(variables or {})
    for child, child_body in (body.get("children") or {}).items():
        if child not in group.children:
            group.children.append(child)
        _walk(child, child_body, depth + 1, groups, source, (*path, name))


def _resolve(groups: dict[str, _Group], folder: Path) -> dict[str, dict[str, Any]]:
    """Host -> its variables, with Ansible's precedence (deeper groups and the host win)."""
    members: dict[str, set[str]] = {}

    def collect(name: str, seen: frozenset[str]) -> set[str]:
        if name not in members:
            hosts = set(groups[name].hosts)
            for child in groups[name].children:
                if child not in seen:
                    hosts |= collect(child, seen | {name})
            members[name] = hosts
        return members[name]

    for name in groups:
        collect(name, frozenset())
    ordered = sorted(groups.values(), key=lambda g: (g.depth, g.name))
    group_vars = folder / "group_vars"
    hosts: dict[str, dict[str, Any]] = {}
    for group in groups.values():
        for host in group.hosts:
            hosts.setdefault(host, {})
    for host in hosts:
        mine = [g for g in ordered if host in members[g.name]]
        variables: dict[str, Any] = {}
        # Ansible's order: inventory group vars, group_vars/all, group_vars/<group>,
        # inventory host vars, host_vars/<host>; deeper groups after their parents.
        for group in mine:
            variables.update(group.vars)
        for group in mine:
            variables.update(_vars_file(group_vars, group.name))
        for group in mine:
            variables.update(group.hosts.get(host, {}))
        variables.update(_vars_file(folder / "host_vars", host))
        hosts[host] = variables
    return hosts


def _vars_file(folder: Path, name: str) -> dict[str, Any]:
    """Variables of ``group_vars/<name>`` or ``host_vars/<name>`` (a file, or a folder of files)."""
    out: dict[str, Any] = {}
    if not folder.is_dir():
        return out
    candidates = [folder / f"{name}{suffix}" for suffix in _VAR_SUFFIXES]
    files = [p for p in candidates if p.is_file()]
    directory = folder / name
    if directory.is_dir():
        files += sorted(p for p in directory.iterdir() if p.suffix in _VAR_SUFFIXES[1:] and p.is_file())
    for file in files:
        try:
            data = _parse(file.read_text(encoding="utf-8-sig"), str(file))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError([Problem(str(file), None, None, f"cannot read: {exc}")]) from None
        if isinstance(data, Mapping):
            out.update(data)
    return out
