"""Hostile inventories: numbers out of any domain, links and folders that cannot be read,
a tab that hides behind its consequences, and a flood of problems."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from inventory_helpers import InventoryDir, line_of

from core.errors import InventoryError
from inventory.cache import load_inventory_cached
from inventory.loader import load_inventory
from inventory.locations import MAX_LISTED

ROOM = """\
rooms:
  - id: r2
    site: hq
    department: city
    racks_total: 4
    racks_used: 1
    power_kw: 3
    yearly_cost_cny: 1000
"""
CIRCUIT = """\
circuits:
  - id: C1
    carrier: China Telecom
    kind: mstp
    department: city
    a: {site: hq}
    z: {site: branch}
    bandwidth_mbps: 100
    cost_cny: 1000
"""


@pytest.mark.parametrize("text, old, new, field, message", [
    # A 23-digit integer crashed the room plan (numpy int64) with a traceback.
    (ROOM, "racks_total: 4", "racks_total: 99999999999999999999999", "rooms[0].racks_total",
     "must be <= 100000 (got 99999999999999999999999)"),
    (ROOM, "racks_used: 1", "racks_used: 100001", "rooms[0].racks_used", "must be <= 100000"),
    (ROOM, "power_kw: 3", "power_kw: .inf", "rooms[0].power_kw", "must be a finite number"),
    (ROOM, "power_kw: 3", "power_kw: .nan", "rooms[0].power_kw", "must be a finite number"),
    (ROOM, "yearly_cost_cny: 1000", "yearly_cost_cny: 1.0e+13", "rooms[0].yearly_cost_cny",
     "must be <= 1000000000000"),
    (ROOM, "yearly_cost_cny: 1000", f"yearly_cost_cny: {10 ** 400}", "rooms[0].yearly_cost_cny",
     "is too large to be a number"),
    # 1e400 was read as Infinity and written into the JSON exports.
    (CIRCUIT, "bandwidth_mbps: 100", "bandwidth_mbps: 1e400", "circuits[0].bandwidth_mbps",
     "must be a finite number (got '1e400')"),
    (CIRCUIT, "bandwidth_mbps: 100", "bandwidth_mbps: 1e300", "circuits[0].bandwidth_mbps",
     "must be <= 1000000 (got '1e300')"),
    (CIRCUIT, "cost_cny: 1000", "cost_cny: -.inf", "circuits[0].cost_cny", "must be a finite number"),
    (CIRCUIT, "cost_cny: 1000", "cost_cny: 1000\n    distance_km: 1.0e+5", "circuits[0].distance_km",
     "must be <= 40000"),
    (CIRCUIT, "cost_cny: 1000", "cost_cny: 1000\n    notice_days: 1000000", "circuits[0].notice_days",
     "must be <= 3660"),
    (CIRCUIT, "cost_cny: 1000", "cost_cny: 1000\n    early_termination_cny: .NaN",
     "circuits[0].early_termination_cny", "must be a finite number"),
    ("sites:\n  - {id: s9, name: S, district: D, coordinates: [91.0, 114.3]}\n", "", "",
     "sites[0].coordinates[0]", "must be <= 90"),
    ("sites:\n  - {id: s9, name: S, district: D, coordinates: [30.5, -1e400]}\n", "", "",
     "sites[0].coordinates[1]", "must be a finite number"),
    ("policy:\n  room_plan: {max_hops: 100000000000000000000}\n", "", "",
     "policy.room_plan.max_hops", "must be <= 1000000"),
    ("policy:\n  room_plan: {horizon_years: .inf}\n", "", "", "policy.room_plan.horizon_years",
     "must be a finite number"),
    ("policy:\n  lines: {decision_lead_days: 99999}\n", "", "", "policy.lines.decision_lead_days",
     "must be <= 3660"),
    ("policy:\n  tariff_bandwidth_exponent: .nan\n", "", "", "policy.tariff_bandwidth_exponent",
     "must be a finite number"),
])
def test_numbers_outside_their_domain_are_refused_with_file_and_line(
        inv: InventoryDir, text: str, old: str, new: str, field: str, message: str) -> None:
    text = text.replace(old, new) if old else text
    inv.write("extra.yaml", text)
    problem = inv.only_problem()
    assert (problem.file, problem.field) == ("extra.yaml", field)
    assert problem.line == line_of(text, field.rsplit(".", 1)[-1].split("[")[0])
    assert message in problem.message


def test_a_valid_inventory_exports_as_strict_json(inv: InventoryDir) -> None:
    """What is accepted can be written as JSON that refuses NaN and Infinity."""
    inv.write("extra.yaml", CIRCUIT.replace("bandwidth_mbps: 100", "bandwidth_mbps: 1000000"))
    inventory = inv.load()
    json.dumps([c.model_dump(mode="json") for c in inventory.circuits.values()], allow_nan=False)


# --------------------------------------------------------------------------- links and folders

def test_dangling_and_self_looping_links_are_reported(inv: InventoryDir) -> None:
    (inv.root / "gone.yaml").symlink_to(inv.root / "nowhere.yaml")
    (inv.root / "loop.yaml").symlink_to(inv.root / "loop.yaml")
    problems = {p.file: p.message for p in inv.problems()}
    assert "dangling symbolic link" in problems["gone.yaml"] and "nowhere.yaml" in problems["gone.yaml"]
    assert "loops" in problems["loop.yaml"]


def test_a_linked_folder_is_read_and_a_folder_link_back_up_is_reported(inv: InventoryDir, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "sites.yaml").write_text("sites:\n  - {id: s9, name: S9, district: D}\n", encoding="utf-8")
    (inv.root / "linked").symlink_to(shared)
    assert inv.load().sources[("sites", "s9")].file == "linked/sites.yaml"
    (inv.root / "linked-up").symlink_to(inv.root)  # an endless tree if followed blindly
    problem = inv.only_problem()
    assert problem.file == "linked-up" and "loops" in problem.message


def test_a_fifo_named_yaml_is_reported_not_read(inv: InventoryDir) -> None:
    os.mkfifo(inv.root / "pipe.yaml")  # reading it would block for ever
    problem = inv.only_problem()
    assert problem.file == "pipe.yaml" and "not a regular file" in problem.message


def test_an_unreadable_folder_is_reported(tmp_path: Path) -> None:
    """As an unprivileged user (root reads everything: the check then runs under setpriv)."""
    root = Path(tempfile.mkdtemp(prefix="netcensus-unreadable-"))
    try:
        root.chmod(0o755)
        InventoryDir(root / "inv")
        (root / "inv").chmod(0o755)
        (root / "inv" / "base.yaml").chmod(0o644)
        locked = root / "inv" / "locked"
        locked.mkdir()
        (locked / "more.yaml").write_text("sites: []\n", encoding="utf-8")
        locked.chmod(0)
        command = [sys.executable, "-m", "netcensus.cli", "validate", str(root / "inv")]
        if os.geteuid() == 0:
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv: cannot make a folder unreadable")
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              cwd=Path(__file__).resolve().parents[2], check=False)
        assert done.returncode == 2, done.stderr
        assert "locked: cannot list this folder" in done.stderr
    finally:
        (root / "inv" / "locked").chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)


def test_a_link_broken_after_a_cached_load_is_not_hidden_by_the_cache(inv: InventoryDir, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_inventory_cached(inv.root, cache)
    (inv.root / "gone.yaml").symlink_to(inv.root / "nowhere.yaml")
    with pytest.raises(InventoryError, match="dangling symbolic link"):
        load_inventory_cached(inv.root, cache)


# --------------------------------------------------------------------------- the real error first

def test_a_tab_that_breaks_a_file_is_the_first_problem_not_the_twelfth(inv: InventoryDir) -> None:
    """The departments file does not parse, so every reference to its departments is
    'unknown': the tab comes first, and the consequences say where to look."""
    base = (inv.root / "base.yaml").read_text(encoding="utf-8")
    departments, rest = base.split("sites:", 1)
    (inv.root / "base.yaml").write_text("sites:" + rest, encoding="utf-8")
    inv.write("departments.yaml", departments.replace("    name: Education", "\tname: Education"))
    problems = inv.problems()
    assert problems[0].file == "departments.yaml" and "tab" in problems[0].message
    assert problems[0].line == line_of(departments, "name: Education")
    assert len(problems) > 2  # (the three references to 'city' sort before it by file name)
    assert all("unknown department 'city'" in p.message and "could not be read" in p.message
               for p in problems[1:])


# --------------------------------------------------------------------------- a flood of problems

def test_a_flood_of_problems_stops_listing_and_counts_the_rest(inv: InventoryDir) -> None:
    devices = 3 * MAX_LISTED
    inv.write("devices.yaml", "devices:\n" + "".join(
        f"  - {{name: d{i}, host: 192.0.2.1, platform: huawei, department: nobody, site: hq}}\n"
        for i in range(devices)))
    with pytest.raises(InventoryError) as info:
        load_inventory(inv.root)
    assert len(info.value.problems) == MAX_LISTED
    assert info.value.unlisted == devices - MAX_LISTED
    assert str(info.value).endswith(f"... and {devices - MAX_LISTED} more problems")
