"""Review cases: another county's evidence, handed in as it is.

Each case folder holds an inventory and a backup folder of configurations written the way
IOS, NX-OS, EOS, Junos, Huawei VRP and H3C Comware print them, or capture folders
(``captures:`` in the case); README.md says how they were built. ``expected.yaml`` lists
every finding and every link a reviewing engineer expects: any other is a false alarm or a
lost link.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from netcensus.pipeline import audit

HERE = Path(__file__).parent
EXPECTED: dict[str, Any] = yaml.safe_load((HERE / "expected.yaml").read_text(encoding="utf-8"))
AUDIT_DATE: dt.date = EXPECTED["audit_date"]
CASES = sorted(EXPECTED["cases"])


@pytest.fixture(scope="module", params=CASES)
def case(request):
    name = request.param
    expected = EXPECTED["cases"][name]
    captures = HERE / name / expected.get("captures", "backups")
    return name, expected, audit(HERE / name / "inventory", captures, today=AUDIT_DATE)


def test_every_device_is_read_from_its_backup(case) -> None:
    name, expected, result = case
    wanted = {device: expected.get("statuses", {}).get(device, "ok") for device in result.facts}
    seen = {device: facts.status for device, facts in result.facts.items()}
    assert seen == wanted, f"{name}: device statuses {seen}, expected {wanted}"


def test_findings_are_exactly_the_expected_ones(case) -> None:
    name, expected, result = case
    found = {f.key: f.severity.name.lower() for f in result.findings}
    assert found == expected["findings"], (
        f"{name}: unexpected {sorted(set(found) - set(expected['findings']))}, "
        f"missing {sorted(set(expected['findings']) - set(found))}, severities {found}")


def _l3_links(result, kind: str = "l3") -> set[frozenset[tuple[str, str]]]:
    return {frozenset(data["ports"].items()) for _, _, data in result.graph.edges(data=True)
            if data.get("kind") == kind}


@pytest.mark.parametrize(("kind", "field"), [("l3", "links"), ("link", "lldp_links")])
def test_every_link_of_the_evidence_and_no_other(case, kind: str, field: str) -> None:
    name, expected, result = case
    wanted = {frozenset({(a, pa), (b, pb)}) for a, pa, b, pb in expected.get(field, [])}
    seen = _l3_links(result, kind)
    assert seen == wanted, f"{name} {kind}: missing {wanted - seen}, unexpected {seen - wanted}"


def test_facts_read_from_the_configurations(case) -> None:
    name, expected, result = case
    wrong = []
    for device, interfaces in expected["facts"].items():
        by_name = {itf.name: itf for itf in result.facts[device].interfaces}
        for port, want in interfaces.items():
            itf = by_name.get(port)
            if itf is None:
                wrong.append(f"{device} {port}: not read")
                continue
            got = {"addresses": list(itf.addresses), "shared": list(itf.shared_addresses), "vrf": itf.vrf,
                   "role": itf.role, "admin_up": itf.admin_up}
            wrong += [f"{device} {port} {key}: {got[key]!r}, expected {value!r}"
                      for key, value in want.items() if got[key] != value]
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("renames", [
    # router.db names: a DNS name, a management address, a DNS name with a backup extension
    {"qs-core1": "qs-core1.qingshui.gov.cn", "qs-core2": "10.70.254.2", "qs-wan1": "QS-WAN1.qingshui.gov.cn.cfg"},
])
def test_backups_named_as_router_db_names_them_are_found(renames: dict[str, str], tmp_path: Path) -> None:
    """Oxidized and RANCID name each file as the ``router.db`` line: often a DNS name or the
    management address (the inventory's ``host``), not the inventory's short name."""
    backups = tmp_path / "backups"
    shutil.copytree(HERE / "county" / "backups", backups)
    for old, new in renames.items():
        (backups / "county" / old).rename(backups / "county" / new)
    result = audit(HERE / "county" / "inventory", backups, today=AUDIT_DATE)
    assert {device: facts.status for device, facts in result.facts.items()} == dict.fromkeys(result.facts, "ok")
    assert {f.key for f in result.findings} == set(EXPECTED["cases"]["county"]["findings"])
    assert len(_l3_links(result)) == len(EXPECTED["cases"]["county"]["links"])


def test_a_saved_copy_beside_the_backup_is_no_second_backup(tmp_path: Path) -> None:
    """``qs-core1.cfg.old`` or ``qs-core1.bak`` beside ``qs-core1`` is a saved copy, not a
    device named by its DNS name: the device still reads from its one backup."""
    backups = tmp_path / "backups"
    shutil.copytree(HERE / "county" / "backups", backups)
    original = backups / "county" / "qs-core1"
    for copy in ("qs-core1.cfg.old", "qs-core1.bak", "qs-core1.2026-11-01"):
        (backups / "county" / copy).write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    result = audit(HERE / "county" / "inventory", backups, today=AUDIT_DATE)
    assert result.facts["qs-core1"].status == "ok"
