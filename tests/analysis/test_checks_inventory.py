"""Inventory reconciliation checks: INV001-INV004."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support.citybuild import (
    TODAY,
    cdp,
    circuit,
    city,
    classified,
    context,
    device,
    facts,
    itf,
    keys,
    lldp,
    mandated,
    run_check,
)

# --- INV001 undeclared neighbours ----------------------------------------------------


def test_undeclared_neighbour_seen_from_two_devices_is_one_finding_with_who_sees_it():
    inv = city(devices=[device("r1", "a"), device("r2", "a")])
    ctx = context(inv, [
        facts("r1", lldp("Gi0/3", "Rogue.corp.local", "Gi1/0/24", address="192.0.2.7")),
        facts("r2", cdp("Gi0/4", "ROGUE", "Gi1/0/23")),
    ], captures=Path("/cap"))
    (finding,) = run_check(ctx, "INV001")
    assert finding.subjects == ("rogue",)
    assert sorted(finding.args["seen_by"]) == ["r1:GigabitEthernet0/3", "r2:GigabitEthernet0/4"]
    assert sorted(e.source for e in finding.evidence) == [
        "/cap/r1/show_lldp_neighbors_detail.txt", "/cap/r2/show_cdp_neighbors_detail.txt"]
    assert any("192.0.2.7" in e.detail and "LLDP" in e.detail for e in finding.evidence)


def test_neighbours_matching_declared_devices_by_name_or_address_are_not_reported():
    inv = city(devices=[device("r1", "a"), device("core2", "b", host="10.0.0.2")])
    ctx = context(inv, [facts("r1", lldp("Gi0/1", "Core2.city.gov.cn", "Gi0/1"),
                              lldp("Gi0/2", "renamed-box", "Gi0/2", address="10.0.0.2"))])
    assert run_check(ctx, "INV001") == []


# --- INV002 no usable capture ------------------------------------------------------------


@pytest.mark.parametrize("status", ["timeout", "auth_failed", "parse_failed", "error"])
def test_declared_device_whose_collection_failed_is_reported_with_the_error(status):
    ctx = context(city(devices=[device("r1", "a")]), [facts("r1", status=status, error="boom: 10.0.0.1:22")])
    (finding,) = run_check(ctx, "INV002")
    assert finding.subjects == ("r1",)
    assert finding.args["status"] == status
    assert any("boom: 10.0.0.1:22" in e.detail for e in finding.evidence)
    assert finding.evidence[0].source == "devices.yaml:1"


def test_device_with_no_facts_at_all_counts_as_missing():
    (finding,) = run_check(context(city(devices=[device("r1", "a")])), "INV002")
    assert finding.args["status"] == "missing"


@pytest.mark.parametrize("status", ["ok", "partial"])
def test_usable_captures_are_not_reported(status):
    ctx = context(city(devices=[device("r1", "a")]), [facts("r1", status=status)])
    assert run_check(ctx, "INV002") == []


# --- INV003 zombie lines -------------------------------------------------------------------


def zombie_city(network: str | None = None, networks=(), **line):
    return city(devices=[device("r1", "a"), device("r2", "b")], networks=networks, circuits=[
        circuit("c1", "a", "b", a_device="r1", a_port="GigabitEthernet0/0", z_device="r2",
                z_port="GigabitEthernet0/0", monthly=2000, network=network, **line)])


def ends(a_up, z_up):
    return [facts("r1", itf("GigabitEthernet0/0", up=a_up)), facts("r2", itf("GigabitEthernet0/0", up=z_up))]


def test_line_down_at_both_ends_is_a_zombie_with_its_yearly_cost_as_saving():
    (finding,) = run_check(context(zombie_city(), ends(False, False), captures=Path("/cap")), "INV003")
    assert finding.subjects == ("c1",)
    assert finding.saving_cny_per_year == 24_000
    assert [e.source for e in finding.evidence] == [
        "circuits.yaml:1", "/cap/r1/show_interfaces.txt", "/cap/r2/show_interfaces.txt"]


@pytest.mark.parametrize("a_up,z_up", [(True, False), (False, None), (None, None), (True, True)])
def test_line_up_or_not_known_down_at_both_ends_is_no_zombie(a_up, z_up):
    assert run_check(context(zombie_city(), ends(a_up, z_up)), "INV003") == []


def test_zombie_of_a_device_not_collected_cannot_be_told():
    observed = [facts("r1", itf("GigabitEthernet0/0", up=False)), facts("r2", status="timeout")]
    assert run_check(context(zombie_city(), observed), "INV003") == []


def test_classified_zombie_is_reported_but_never_proposed_for_removal():
    inv = zombie_city(network="secret", networks=[classified("secret")])
    (finding,) = run_check(context(inv, ends(False, False)), "INV003")
    assert finding.saving_cny_per_year is None
    assert "never proposes removing" in finding.recommendation


def test_mandated_zombie_is_raised_with_its_authority():
    inv = zombie_city(network="police", networks=[mandated("police", authority="Ministry of Public Security")])
    (finding,) = run_check(context(inv, ends(False, False)), "INV003")
    assert finding.saving_cny_per_year is None
    assert "Ministry of Public Security" in finding.recommendation


def test_zombie_is_cancelled_at_contract_end_unless_early_termination_costs_less():
    end = TODAY + dt.timedelta(days=365)
    cheap = zombie_city(contract_end=end, early_termination=5_000)  # 24,000 still owed
    dear = zombie_city(contract_end=end, early_termination=50_000)
    (early,) = run_check(context(cheap, ends(False, False)), "INV003")
    (wait,) = run_check(context(dear, ends(False, False)), "INV003")
    assert "terminate it now" in early.recommendation
    assert f"at the contract end on {end}" in wait.recommendation


# --- INV004 unrecorded inter-site links -----------------------------------------------------


def test_inter_site_link_with_no_circuit_record_is_reported_once_per_site_pair():
    inv = city(devices=[device("r1", "a"), device("r2", "b")])
    ctx = context(inv, [
        facts("r1", lldp("GigabitEthernet0/1", "r2", "GigabitEthernet0/1"),
              itf("GigabitEthernet0/1", addresses=["10.0.0.1/30"])),
        facts("r2", itf("GigabitEthernet0/1", addresses=["10.0.0.2/30"])),
    ])
    (finding,) = run_check(ctx, "INV004")
    assert finding.subjects == ("a", "b")
    assert finding.args["observations"] == 2  # the LLDP link and the shared /30


def test_links_over_declared_circuits_are_not_reported():
    pinned = zombie_city()  # c1 pinned to r1/r2 GigabitEthernet0/0
    loose = city(devices=[device("r1", "a"), device("r2", "b")], circuits=[circuit("c1", "b", "a")])
    observed = [facts("r1", lldp("GigabitEthernet0/0", "r2", "GigabitEthernet0/0"))]
    assert keys(run_check(context(pinned, observed), "INV004")) == []
    assert keys(run_check(context(loose, observed), "INV004")) == []  # c1 may be that link


def test_zombie_line_with_both_ends_in_one_site_is_still_found():
    inv = city(devices=[device("r1", "a"), device("r2", "a")], circuits=[
        circuit("c1", "a", "a", a_device="r1", a_port="Gi0/0", z_device="r2", z_port="Gi0/0")])
    observed = [facts("r1", itf("Gi0/0", up=False)), facts("r2", itf("Gi0/0", up=False))]
    assert keys(run_check(context(inv, observed), "INV003")) == ["INV003:c1"]
