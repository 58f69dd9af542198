"""The shape of one inventory file: a mapping of sections, each a list of entries.

:func:`read_file` splits a file's node tree into raw section :class:`~inventory.locations.Item`
entries (and at most one ``policy:`` mapping for the whole inventory), collected in a
:class:`Raw` across files; misshapen files, sections and entries become problems.
Root keys starting with :data:`EXTENSION_PREFIX` are read (so they still get the
duplicate-key and credential checks) and then ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from inventory.locations import Item, LineMap, Problems, node_line
from inventory.messages import (
    CREDENTIALS_MESSAGE,
    ENTRY_LABELS,
    did_you_mean,
    looks_like_credential,
    short,
)
from inventory.model import SECTIONS, Policy
from inventory.yaml_nodes import NULL_TAG, NodeReader, TooComplex

__all__ = ["EXTENSION_PREFIX", "Raw", "read_file"]

#: Root keys starting with this prefix are ignored: a place for YAML anchors (defaults).
EXTENSION_PREFIX = "x-"


@dataclass
class Raw:
    """Everything read from the files, before validation."""

    items: list[Item] = field(default_factory=list)
    #: (file, line of the "policy:" key, the lines of its settings, its value)
    policy: tuple[str, int, LineMap, dict[str, Any]] | None = None


def read_file(rel: str, root: Node | None, raw: Raw, problems: Problems) -> None:
    """Split one file's node tree into section items (and maybe the policy)."""
    if root is None or (isinstance(root, ScalarNode) and root.tag == NULL_TAG):
        return  # an empty file declares nothing
    if not isinstance(root, MappingNode):
        problems.add(rel, node_line(root), None,
                     "the file must be a mapping of sections (departments:, devices:, ...), "
                     f"not {_kind_of_node(root)}")
        return
    reader = NodeReader(rel, problems)
    try:
        _read_sections(rel, root, reader, raw, problems)
    except TooComplex as exc:
        problems.add(rel, node_line(exc.node), None, str(exc))


def _read_sections(rel: str, root: MappingNode, reader: NodeReader, raw: Raw,
                   problems: Problems) -> None:
    seen: dict[str, int] = {}
    known = [*SECTIONS, "policy"]
    for key_node, value_node in root.value:
        if not isinstance(key_node, ScalarNode):
            problems.add(rel, node_line(key_node), None, "a section name must be plain text")
            continue
        section = key_node.value.strip()
        if section in seen:
            problems.add(rel, node_line(key_node), section,
                         f"duplicate section {section!r} in one file (also at line "
                         f"{seen[section]}): YAML would silently keep only the last one")
        seen[section] = node_line(key_node)
        if section.startswith(EXTENSION_PREFIX):
            reader.value(value_node, section)  # ignored, but still no secrets or duplicate keys
            continue
        if section == "policy":
            _read_policy(rel, node_line(key_node), value_node, reader, raw, problems)
        elif section in SECTIONS:
            _read_section(rel, section, value_node, reader, raw, problems)
        elif looks_like_credential(section):
            problems.add(rel, node_line(key_node), section, CREDENTIALS_MESSAGE)
        else:
            problems.add(rel, node_line(key_node), section,
                         f"unknown section {section!r}{did_you_mean(section, known)}; "
                         f"sections are {', '.join(known)} (and '{EXTENSION_PREFIX}...' "
                         "keys, which are ignored)")


def _read_section(rel: str, section: str, node: Node, reader: NodeReader, raw: Raw,
                  problems: Problems) -> None:
    if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
        return  # "devices:" with nothing under it yet
    if not isinstance(node, SequenceNode):
        problems.add(rel, node_line(node), section,
                     f"section {section!r} must be a list of entries ('- ...'), "
                     f"not {_kind_of_node(node)}")
        return
    model = SECTIONS[section][0]
    for index, item_node in enumerate(node.value):
        path = f"{section}[{index}]"
        if not isinstance(item_node, MappingNode):
            problems.add(rel, node_line(item_node), path,
                         f"each {ENTRY_LABELS[section]} must be a mapping of fields (key: value), "
                         f"not {_kind_of_node(item_node)}")
            continue
        lines = LineMap(node_line(item_node))
        value = reader.value(item_node, path, model, lines=lines)
        raw.items.append(Item(section, rel, path, lines, value))


def _read_policy(rel: str, line: int, node: Node, reader: NodeReader, raw: Raw,
                 problems: Problems) -> None:
    if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
        return
    if not isinstance(node, MappingNode):
        problems.add(rel, node_line(node), "policy",
                     f"policy must be a mapping of settings, not {_kind_of_node(node)}")
        return
    if raw.policy is not None:
        first_file, first_line, _, _ = raw.policy
        problems.add(rel, line, "policy",
                     f"policy is already declared at {first_file}:{first_line}; declare it once")
        return
    lines = LineMap(node_line(node))
    raw.policy = (rel, line, lines, reader.value(node, "policy", Policy, lines=lines))


def _kind_of_node(node: Node) -> str:
    """How a misplaced node is described: ``a list``, ``a single value ('x')``, ..."""
    if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
        return "an empty value"
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"a single value ({short(node.value)})"
