"""Write inventory entities as YAML that :func:`inventory.loader.load_inventory` reads back.

Entries are dumped without their default values (a device's ``role: access`` is left
out), keys in model order, dates as plain ``YYYY-MM-DD``, lists in block style: the
files look like the hand-written ones of ``docs/inventory.md``. The same entities
always give the same bytes, so importing twice changes nothing on disk.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from inventory.model import SECTIONS, Entity, Inventory

__all__ = ["SECTION_ORDER", "entity_data", "inventory_sections", "sections_yaml", "write_text_atomic",
           "write_yaml"]

#: Sections in the order they are written (``policy`` last).
SECTION_ORDER = ("departments", "sites", "rooms", "networks", "devices", "circuits", "websites",
                 "approvals", "waivers")

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def entity_data(entity: Entity) -> dict[str, Any]:
    """The entity as plain YAML-ready data, without fields left at their default.

    >>> from inventory.model import Site
    >>> entity_data(Site(id="hq", name="HQ", district="Xiling", critical=False))
    {'id': 'hq', 'name': 'HQ', 'district': 'Xiling'}
    """
    return _plain(entity.model_dump(mode="python", exclude_defaults=True))


def _plain(value: Any) -> Any:
    """Tuples as lists, recursively (safe YAML has no tuples); dates stay dates."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):  # never produced by the models, but be exact if it is
        return value.date()
    return value


def inventory_sections(inventory: Inventory) -> dict[str, list[Entity]]:
    """Every non-empty section of ``inventory`` as lists of entities, in :data:`SECTION_ORDER`."""
    out: dict[str, list[Entity]] = {}
    for section in SECTION_ORDER:
        items = list(getattr(inventory, section).values())
        if items:
            out[section] = items
    return out


def sections_yaml(sections: Mapping[str, Iterable[Entity | Mapping[str, Any]]], *,
                  header: str | None = None, policy: Entity | None = None) -> str:
    """YAML text of ``{section: [entries]}`` (entities or plain mappings), with an optional comment header.

    >>> from inventory.model import Department
    >>> print(sections_yaml({"departments": [Department(id="edu", name="Education")]}, header="made by hand"))
    # made by hand
    departments:
    - id: edu
      name: Education
    <BLANKLINE>
    """
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown sections: {sorted(unknown)}")
    data: dict[str, Any] = {}
    for section in SECTION_ORDER:
        entries = [entity_data(e) if isinstance(e, Entity) else _plain(dict(e))
                   for e in sections.get(section, ())]
        if entries:
            data[section] = entries
    if policy is not None:
        data["policy"] = entity_data(policy)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120,
                     default_flow_style=False) if data else ""
    if header:
        comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
        text = comment + text
    return text


def write_text_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a hidden temporary file and a rename.

    Returns False, touching nothing, when the file already holds exactly ``text``;
    a reader (or an interrupted run) never sees half a file. The temporary name
    starts with ``.`` so the inventory loader skips it.
    """
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def write_yaml(path: Path | str, sections: Mapping[str, Iterable[Entity | Mapping[str, Any]]], *,
               header: str | None = None, policy: Entity | None = None) -> bool:
    """Write ``sections`` as one inventory YAML file; False when it was already up to date."""
    return write_text_atomic(Path(path), sections_yaml(sections, header=header, policy=policy))
