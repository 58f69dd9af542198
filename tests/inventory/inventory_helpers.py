"""Helpers of the inventory loader tests: a small valid city to break on purpose.

A module with a unique name rather than ``conftest.py``: test modules import these
names, and ``import conftest`` would find whichever test folder's conftest came first.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from core.errors import InventoryError, Problem
from inventory.loader import load_inventory
from inventory.model import Inventory

#: A minimal valid inventory; each test adds one broken file next to it.
BASE = """\
departments:
  - id: city
    name: City Office
    local_name: 市政府办公室
  - id: edu
    name: Education Bureau
    local_name: 市教育局
sites:
  - id: hq
    name: Civic Centre
    district: Xiling
  - id: branch
    name: Donghu Office
    district: Donghu
rooms:
  - id: hq-room
    site: hq
    department: city
    racks_total: 4
    racks_used: 1
    power_kw: 3
    yearly_cost_cny: 100000
networks:
  - id: lan
    name: City LAN
    department: city
    kind: lan
devices:
  - name: hq-sw1
    host: 192.0.2.1
    platform: huawei
    department: city
    room: hq-room
  - name: branch-sw1
    host: branch-sw1.city.example
    platform: hp_comware
    department: city
    site: branch
approvals:
  - id: QXB-2022-01
    title: City LAN
    date: 2022-01-10
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line of ``text`` containing ``needle``."""
    hits = [n for n, line in enumerate(textwrap.dedent(text).splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


class InventoryDir:
    """A temporary inventory directory holding ``base.yaml`` plus the files a test writes."""

    def __init__(self, root: Path):
        self.root = root
        self.write("base.yaml", BASE)

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def load(self) -> Inventory:
        return load_inventory(self.root)

    def problems(self) -> list[Problem]:
        """The problems of a load that must fail."""
        with pytest.raises(InventoryError) as info:
            load_inventory(self.root)
        return list(info.value.problems)

    def only_problem(self) -> Problem:
        """The single problem of a load that must fail with exactly one."""
        problems = self.problems()
        assert len(problems) == 1, "\n".join(map(str, problems))
        return problems[0]
