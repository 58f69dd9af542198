"""The finding catalogue is the one source of finding text: every check, every language.

Every check runs on the test cities (the sample city, the precision city, the review
cases, and small cities for what those lack); every finding they make must be worded by
its catalogue entry in English (exactly the title and recommendation it carries) and in
Chinese, each placeholder filled by a value the check passed. When this fails, a check
changed its args or a catalogue entry its placeholders: analysis/messages/findings.yaml.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from support.citybuild import (
    CONFIG,
    circuit,
    city,
    classified,
    context,
    device,
    facts,
    itf,
    mandated,
    network,
    room,
    site,
)

from analysis.catalogue import (
    DASH,
    LANGS,
    check_catalogue,
    finding_catalogue,
    finding_params,
    finding_text,
    finding_variant,
    inventory_names,
    placeholders,
    variants,
)
from analysis.context import AuditContext
from analysis.findings import Finding
from analysis.measurements import UtilisationSample
from analysis.registry import run_checks, selected_checks
from collectors.facts import CollectionStatus, DeviceInfo
from inventory.model import Department, Inventory, Policy, RoomPlanPolicy, Website
from netcensus.pipeline import audit
from netcensus.sample.generate import generate

TESTS = Path(__file__).resolve().parents[1]
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PARTS = ("title", "recommendation")


def _bundled_codes() -> list[str]:
    return sorted(s.code for s in selected_checks() if s.func.__module__.startswith("analysis.checks."))


# --- the cities ----------------------------------------------------------------------


def _corner_contexts() -> Iterator[tuple[str, AuditContext]]:
    """Small cities for the findings and wordings the bigger test cities do not make."""
    today = dt.date(2026, 6, 1)
    # INV005 stale device, INV007 one serial twice, INV006 serial mismatch, INV002 every status
    statuses = [s for s in typing.get_args(CollectionStatus) if s not in ("ok", "partial", "missing")]
    devices = [device("r1", "a", serial="S1"), device("r2", "a", serial="S2"), device("r3", "b", serial="X9")]
    devices += [device(f"down-{s}", "b") for s in statuses]
    observed = [facts("r1", itf("Gi0/0")), facts("r2", itf("Gi0/0")), facts("r3", itf("Gi0/0"))]
    observed = [dataclasses.replace(f, info=DeviceInfo(serial="S1")) for f in observed]
    observed += [facts(f"down-{s}", status=s, error=f"{s} here") for s in statuses]
    inv = city(devices=[*devices, device("gone", "b")])
    yield "devices", context(inv, observed, today=today, runs_since_success={"gone": 5}, stale_after_runs=3)

    # LIN004 underused (plain, mandated, already proposed), LIN005 notice due/missed, decisions
    def samples(cid: str) -> list[UtilisationSample]:
        return [UtilisationSample(cid, dt.datetime(2026, 5, d, tzinfo=dt.UTC), 1.0, 1.0, "util.csv:1")
                for d in range(1, 29)]

    lines = [circuit("u1", "a", "b", mbps=100, contract_end=today + dt.timedelta(days=200)),
             circuit("u2", "a", "c", mbps=100, network="police", department="psb"),
             circuit("p1", "d", "e", mbps=100, contract_end=today + dt.timedelta(days=60), notice_days=90),
             circuit("p2", "d", "e", mbps=100, contract_end=today + dt.timedelta(days=120), notice_days=90,
                     early_termination=10.0),
             circuit("s1", "f", "g", mbps=100, network="secret", contract_end=today + dt.timedelta(days=100)),
             circuit("o1", "h", "i", mbps=100, contract_end=today + dt.timedelta(days=100)),
             circuit("m1", "j", "k", mbps=10), circuit("m2", "j", "k", mbps=10, department="tax"),
             circuit("z1", "q", "r", a_device="rq", a_port="Gi0/1", z_device="rr", z_port="Gi0/1"),
             circuit("z2", "q", "r", a_device="rq", a_port="Gi0/2", z_device="rr", z_port="Gi0/2")]
    inv = city(circuits=lines, networks=[mandated(), classified()], devices=[device("rq", "q"), device("rr", "r")])
    down = [facts(name, itf("Gi0/1", up=False), itf("Gi0/2", up=False)) for name in ("rq", "rr")]
    util = {cid: samples(cid) for cid in ("u1", "u2", "p1")}
    yield "lines", context(inv, down, today=today, utilisation=util)

    # ROM002: no room plan meets the constraints
    rooms = [room("r1", "a", role="central"), room("r2", "b", role="central")]
    inv = city(rooms=rooms, policy=Policy(room_plan=RoomPlanPolicy(max_rooms_kept=1)))
    yield "rooms", context(inv, {}, today=today)
    # ROM001 of a room that costs nothing a year: closed on the planners' word, no payback
    rooms = [room("free", "a", yearly_cost_cny=0.0, racks_used=1), room("hub", "a", role="central")]
    yield "rooms-close", context(city(rooms=rooms, policy=Policy(room_plan=RoomPlanPolicy(close=("free",)))), {},
                                 today=today)

    # ADR002 with VRFs not collected, ADR003 of a department allocated nothing, ADR004 with no
    # VRF declared, CON001 of a critical site of no department
    inv = city(backbone=True, sites=[site("lone", critical=True)],
               networks=[network("hr-lan", department="hr", isolation="logical", prefixes=["10.5.0.0/16"])],
               devices=[device("core1", "hub", networks=["egov"]), device("hr-r1", "b", department="hr",
                                                                          networks=["hr-lan"]),
                        device("x1", "c"), device("x2", "c")],
               address_plan={"hr": ()})
    observed = [facts("core1", itf("Gi0/2", addresses=["10.255.0.5/30"]), config=CONFIG),
                facts("hr-r1", itf("Gi0/0", addresses=["10.255.0.6/30"]), itf("Vlan20", addresses=["10.5.1.254/24"]),
                      config=CONFIG),
                facts("x1", itf("Vlan9", addresses=["10.9.9.1/24"])),
                facts("x2", itf("Vlan9", addresses=["10.9.9.1/24"]))]
    yield "addressing", context(inv, observed, today=today)

    # GOV003 and GOV004 with no city portal declared
    inv = city(devices=[device("edge1", "a")])
    inv = dataclasses.replace(inv, websites={"a.cn": Website(domain="a.cn", department="it", independent=True)})
    yield "governance", context(inv, [facts("edge1", itf("Gi0/0"), config=NAT)], today=today)


#: A Cisco static port forward of 443 (GOV004).
NAT = "hostname edge1\n!\nip nat inside source static tcp 10.1.1.10 443 203.0.113.5 443\n"


@pytest.fixture(scope="module")
def city_findings(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Inventory, Finding]]:
    """Every finding of every test city, with the city's name and inventory."""
    out: list[tuple[str, Inventory, Finding]] = []
    sample = generate(tmp_path_factory.mktemp("sample"), devices=80, seed=1)
    results = {"sample": audit(sample.inventory_dir, sample.captures_dir)}
    precision = yaml.safe_load((TESTS / "precision" / "expected_findings.yaml").read_text(encoding="utf-8"))
    results["precision"] = audit(TESTS / "precision" / "city" / "inventory", TESTS / "precision" / "city" / "captures",
                                 today=precision["audit_date"])
    review = yaml.safe_load((TESTS / "review" / "expected.yaml").read_text(encoding="utf-8"))
    for name, case in sorted(review["cases"].items()):
        folder = TESTS / "review" / name
        results[f"review/{name}"] = audit(folder / "inventory", folder / case.get("captures", "backups"),
                                          today=review["audit_date"])
    for name, result in results.items():
        out += [(name, result.inventory, f) for f in result.findings]
    for name, ctx in _corner_contexts():
        out += [(name, ctx.inventory, f) for f in run_checks(ctx)]
    return out


# --- the tests -----------------------------------------------------------------------


def test_the_catalogue_is_complete_and_consistent() -> None:
    assert check_catalogue(finding_catalogue()) == []
    missing = [f"finding.{code}.{part}" for code in _bundled_codes() for part in _PARTS
               if not variants(code, part)]
    assert missing == []


def test_every_check_runs_on_the_test_cities(city_findings: list[tuple[str, Inventory, Finding]]) -> None:
    assert sorted({f.code for _, _, f in city_findings}) == _bundled_codes()


def test_every_finding_is_worded_by_the_catalogue_in_both_languages(
        city_findings: list[tuple[str, Inventory, Finding]]) -> None:
    problems = []
    for name, inventory, f in city_findings:
        params = finding_params(f.subjects, f.saving_cny_per_year, f.args)
        names = inventory_names(inventory)
        for part, english in (("title", f.title), ("recommendation", f.recommendation)):
            key = finding_variant(f.code, part, params)
            empty = sorted(n for lang_text in finding_catalogue()[key].values() for n in placeholders(lang_text)
                           if params.get(n) is None or params.get(n) == [])
            if empty:
                problems.append(f"{name} {f.key} {key}: no value for {empty}")
            texts = {lang: finding_text(f.code, part, lang, params, names=names) for lang in LANGS}
            if texts["en"] != english:
                problems.append(f"{name} {f.key} {part}: the English is not the catalogue's: {english!r}")
            if not _CJK.search(texts["zh"]) or DASH in texts["zh"]:
                problems.append(f"{name} {f.key} {part}: Chinese {texts['zh']!r}")
    assert problems == []


#: Wordings no test city can reach, and why they are kept.
_UNREACHED = {
    # a rerouted line's demand is at least analysis.lineplan._MIN_DEMAND_MBPS, so its flow always
    # has a path; the wording stays for the day a reroute carries nothing over the lines
    "finding.LIN003.recommendation.2",
}


def test_every_wording_of_the_catalogue_is_used(city_findings: list[tuple[str, Inventory, Finding]]) -> None:
    """No variant is dead: each is the wording of some finding of the test cities."""
    used = {finding_variant(f.code, part, finding_params(f.subjects, f.saving_cny_per_year, f.args))
            for _, _, f in city_findings for part in _PARTS}
    wordings = {k for code in _bundled_codes() for part in _PARTS for k in variants(code, part)}
    wordings -= _UNREACHED
    assert sorted(wordings - used) == [], " ".join(sorted(wordings - used))


def test_every_failed_collection_status_has_advice() -> None:
    failed = [s for s in typing.get_args(CollectionStatus) if s not in ("ok", "partial")]
    assert [s for s in failed if f"hint.status.{s}" not in finding_catalogue()] == []


def test_chinese_texts_name_sites_departments_and_rooms_by_their_names() -> None:
    inv = city(sites=[site("isle", "d9"), site("hq", "d1")],
               devices=[device("core1", "hq", networks=["egov"]), device("isle1", "isle", department="tax")],
               departments=[Department(id="tax", name="Tax Bureau", local_name="市税务局")],
               rooms=[room("tx-room", "isle", department="tax", built=dt.date(2024, 3, 1))],
               backbone=True, approval_required_from=dt.date(2023, 1, 1))
    inv = dataclasses.replace(inv, sites={**inv.sites,
                                          "isle": inv.sites["isle"].model_copy(update={"local_name": "孤岛站点"})})
    ctx = context(inv, [facts("core1", itf("Gi0/0"), config=CONFIG), facts("isle1", itf("Gi0/0"), config=CONFIG)])
    found = {f.code: f for f in run_checks(ctx)}
    names = inventory_names(inv)

    def zh(code: str) -> str:
        f = found[code]
        return finding_text(code, "title", "zh", finding_params(f.subjects, f.saving_cny_per_year, f.args),
                            names=names)

    assert "站点 孤岛站点（市税务局）" in zh("CON001") and "isle" not in zh("CON001")
    assert zh("GOV001").startswith("市税务局 的机房 tx-room")  # a room without a name keeps its id
    assert found["CON001"].title == "site isle (tax) has no path to the backbone"  # English keeps ids
