"""The approval rule (报批): whether a room, network, leased line or website needed an
approval and has one that covers it in time.

Used by the governance checks (GOV001, GOV002: :mod:`analysis.checks.governance`) and by the
room plan's score cards (:mod:`analysis.roomplan`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from inventory.model import Inventory

__all__ = ["ApprovalStatus", "Governed", "approval_status", "governed_entities"]

ApprovalStatus = Literal["approved", "missing", "unknown_approval", "not_covered", "late",
                         "not_required", "undated"]


@dataclass(frozen=True, slots=True)
class Governed:
    """One room, network, circuit or website, as the approval rules see it."""

    section: str  # inventory section: rooms, networks, circuits, websites
    kind: str  # "room", "network", "circuit", "website" (for messages)
    id: str  # the entity id (a website's domain)
    department: str
    appeared: dt.date | None
    approval: str | None


def governed_entities(inventory: Inventory) -> Iterator[Governed]:
    """Every entity the approval rule applies to, in inventory order."""
    for r in inventory.rooms.values():
        yield Governed("rooms", "room", r.id, r.department, r.built, r.approval)
    for n in inventory.networks.values():
        yield Governed("networks", "network", n.id, n.department, n.built, n.approval)
    for c in inventory.circuits.values():
        yield Governed("circuits", "circuit", c.id, c.department, c.contract_start, c.approval)
    for w in inventory.websites.values():
        yield Governed("websites", "website", w.domain, w.department, w.built, w.approval)


def approval_status(inventory: Inventory, entity: Governed) -> ApprovalStatus:
    """How the approval rule judges one entity.

    ``not_required``: appeared before the policy date (or the policy sets none);
    ``undated``: its date is unknown; ``missing``: needs an approval and cites none;
    ``unknown_approval``: cites an approval the inventory does not hold; ``not_covered``:
    the approval does not list it; ``late``: the approval is dated after it appeared;
    ``approved``: all is well.
    """
    start = inventory.policy.approval_required_from
    if start is None:
        return "not_required"
    if entity.appeared is None:
        return "undated"
    if entity.appeared < start:
        return "not_required"
    if not entity.approval:
        return "missing"
    approval = inventory.approvals.get(entity.approval)
    if approval is None:
        return "unknown_approval"
    if entity.id not in approval.covers:
        return "not_covered"
    if approval.date > entity.appeared:
        return "late"
    return "approved"
