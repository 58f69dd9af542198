"""GOV001-GOV004: approvals, independent websites, websites published from device configs."""

from __future__ import annotations

import dataclasses
import datetime as dt

from support.citybuild import circuit, city, context, device, network, room

from analysis.checks.governance import (
    approval_does_not_cover,
    built_without_approval,
    independent_website,
    published_web_rules,
    website_published_from_device,
)
from collectors.facts import DeviceFacts
from inventory.model import Approval, Policy, Source, Website

POLICY = Policy(approval_required_from=dt.date(2020, 1, 1), portal_domain="gov.example.cn")


def with_sections(inventory, *, websites=(), approvals=()):
    """Add websites and approvals (the shared builders have no such sections)."""
    sources = dict(inventory.sources)
    sources.update({("websites", w.domain): Source("websites.yaml", k) for k, w in enumerate(websites, 1)})
    sources.update({("approvals", a.id): Source("approvals.yaml", k) for k, a in enumerate(approvals, 1)})
    return dataclasses.replace(inventory, websites={w.domain: w for w in websites},
                               approvals={a.id: a for a in approvals}, sources=sources)


def website(domain: str, **kw) -> Website:
    return Website(domain=domain, department=kw.pop("department", "tax"), **kw)


def new_entities(approval: str | None = None, built: dt.date = dt.date(2021, 5, 1)):
    """One entity of each governed kind, all appearing on ``built``."""
    inv = city(policy=POLICY,
               rooms=[room("r1", "a", built=built, approval=approval)],
               networks=[network("n1").model_copy(update={"built": built, "approval": approval})],
               circuits=[circuit("c1", "a", "b").model_copy(update={"contract_start": built, "approval": approval})])
    return with_sections(inv, websites=[website("w.gov.example.cn", built=built, approval=approval)])


# --- GOV001 ----------------------------------------------------------------------------


def test_everything_built_after_the_policy_date_without_approval_is_flagged():
    findings = {f.subjects: f for f in built_without_approval(context(new_entities()))}
    assert set(findings) == {("r1",), ("n1",), ("c1",), ("w.gov.example.cn",)}
    room_finding = findings[("r1",)]
    assert room_finding.args["kind"] == "room" and room_finding.args["appeared"] == "2021-05-01"
    assert room_finding.evidence[0].source == "rooms.yaml:1"
    assert findings[("c1",)].args["kind"] == "circuit"  # a line appears at its contract start


def test_built_on_the_policy_date_needs_approval_too():
    keys = {f.subjects for f in built_without_approval(context(new_entities(built=dt.date(2020, 1, 1))))}
    assert ("r1",) in keys


def test_before_the_policy_date_or_undated_or_without_policy_nothing_is_flagged():
    assert list(built_without_approval(context(new_entities(built=dt.date(2019, 12, 31))))) == []
    undated = city(policy=POLICY, rooms=[room("r1", "a")])
    assert list(built_without_approval(context(undated))) == []
    no_policy = dataclasses.replace(new_entities(), policy=Policy())
    assert list(built_without_approval(context(no_policy))) == []


def test_approved_entities_pass_both_checks():
    approval = Approval(id="ap1", title="2021 projects", date=dt.date(2021, 1, 10),
                        covers=("r1", "n1", "c1", "w.gov.example.cn"))
    inv = with_sections(new_entities("ap1"), approvals=[approval],
                        websites=[website("w.gov.example.cn", built=dt.date(2021, 5, 1), approval="ap1")])
    ctx = context(inv)
    assert list(built_without_approval(ctx)) == [] and list(approval_does_not_cover(ctx)) == []


# --- GOV002 ----------------------------------------------------------------------------


def test_approval_that_does_not_list_the_entity():
    approval = Approval(id="ap1", title="other", date=dt.date(2021, 1, 1), covers=("something-else",))
    inv = with_sections(city(policy=POLICY, rooms=[room("r1", "a", built=dt.date(2021, 5, 1), approval="ap1")]),
                        approvals=[approval])
    (finding,) = approval_does_not_cover(context(inv))
    assert finding.subjects == ("r1",) and finding.args["problem"] == "not_covered"
    assert "does not cover" in finding.title
    assert [e.source for e in finding.evidence] == ["rooms.yaml:1", "approvals.yaml:1"]


def test_approval_dated_after_the_entity_was_built():
    approval = Approval(id="ap1", title="late", date=dt.date(2022, 1, 1), covers=("r1",))
    inv = with_sections(city(policy=POLICY, rooms=[room("r1", "a", built=dt.date(2021, 5, 1), approval="ap1")]),
                        approvals=[approval])
    (finding,) = approval_does_not_cover(context(inv))
    assert finding.args["problem"] == "late" and finding.args["approval_date"] == "2022-01-01"


def test_approval_missing_from_the_inventory():
    inv = city(policy=POLICY, rooms=[room("r1", "a", built=dt.date(2021, 5, 1), approval="ghost")])
    (finding,) = approval_does_not_cover(context(inv))
    assert finding.args["problem"] == "unknown_approval" and "not in the inventory" in finding.title
    assert list(built_without_approval(context(inv))) == []  # it cites one: GOV002, not GOV001


# --- GOV003 ----------------------------------------------------------------------------


def test_independent_domains_are_flagged_and_portal_subsites_are_not():
    inv = with_sections(city(policy=POLICY), websites=[
        website("tax.gov.example.cn"), website("GOV.EXAMPLE.CN."), website("tax-bureau.cn"),
        website("evilgov.example.cn"), website("hr.gov.example.cn", independent=True)])
    findings = {f.subjects[0]: f for f in independent_website(context(inv))}
    # With a portal declared the domain decides, whatever the independent flag says.
    assert set(findings) == {"tax-bureau.cn", "evilgov.example.cn"}
    assert "sub-site of gov.example.cn" in findings["tax-bureau.cn"].recommendation
    assert findings["tax-bureau.cn"].evidence[0].source == "websites.yaml:3"


def test_without_a_portal_the_declared_flag_decides():
    inv = with_sections(city(), websites=[website("a.cn", independent=True), website("b.cn")])
    assert [f.subjects for f in independent_website(context(inv))] == [("a.cn",)]


# --- GOV004 ----------------------------------------------------------------------------


CISCO = """\
hostname edge1
!
ip nat inside source static tcp 10.1.1.10 443 203.0.113.5 443 extendable
ip nat inside source static tcp 10.1.1.10 80 203.0.113.5 80
ip nat inside source static tcp 10.1.1.11 8443 interface GigabitEthernet0/0 443
ip nat inside source static tcp 10.1.1.12 25 203.0.113.6 25
ip nat inside source static 10.1.1.13 203.0.113.7
no ip nat inside source static tcp 10.1.1.14 443 203.0.113.8 443
"""

HUAWEI = """\
interface GigabitEthernet0/0/1
 nat server protocol tcp global 203.0.113.9 443 inside 192.168.10.5 443
 nat server protocol tcp global current-interface www inside 192.168.10.6 8080
 nat static protocol tcp global 203.0.113.10 80 inside 192.168.10.7 80 netmask 255.255.255.255
 nat static global 203.0.113.11 inside 192.168.10.8
 nat server protocol udp global 203.0.113.12 443 inside 192.168.10.9 443
#
nat server web1 protocol tcp global 203.0.113.13 443 inside 192.168.10.10 443 no-reverse
"""

H3C = """\
interface GigabitEthernet1/0/1
 nat server protocol tcp global 198.51.100.2 443 inside 172.16.5.5 443 vpn-instance gov
 nat server protocol tcp global interface GigabitEthernet1/0/1 80 inside 172.16.5.6 80
"""


def test_cisco_static_port_forwards_of_web_ports():
    rules = published_web_rules(CISCO)
    assert [(r.line, r.inside, r.inside_port, r.outside, r.outside_port) for r in rules] == [
        (3, "10.1.1.10", 443, "203.0.113.5", 443),
        (4, "10.1.1.10", 80, "203.0.113.5", 80),
        (5, "10.1.1.11", 8443, "interface GigabitEthernet0/0", 443),
    ]


def test_huawei_nat_server_and_nat_static_of_web_ports():
    rules = published_web_rules(HUAWEI)
    assert [(r.line, r.inside, r.outside, r.outside_port) for r in rules] == [
        (2, "192.168.10.5", "203.0.113.9", 443),
        (3, "192.168.10.6", "current-interface", 80),
        (4, "192.168.10.7", "203.0.113.10", 80),
        (8, "192.168.10.10", "203.0.113.13", 443),
    ]


def test_h3c_nat_server_of_web_ports():
    rules = published_web_rules(H3C)
    assert [(r.inside, r.outside, r.outside_port) for r in rules] == [
        ("172.16.5.5", "198.51.100.2", 443), ("172.16.5.6", "interface GigabitEthernet1/0/1", 80)]


def config_city(*websites):
    inv = city(policy=POLICY, rooms=[room("dc", "hub")],
               devices=[device("edge1", "a", department="tax"), device("web-srv", host="10.1.1.11", room="dc")])
    return with_sections(inv, websites=websites)


def config_facts(config: str) -> DeviceFacts:
    return DeviceFacts(device="edge1", platform="cisco_ios", config=config)


def test_undeclared_web_host_behind_nat_is_flagged_once_per_host():
    findings = list(website_published_from_device(context(config_city(), [config_facts(CISCO)])))
    assert [f.subjects for f in findings] == [("edge1", "10.1.1.10"), ("edge1", "10.1.1.11")]
    first = findings[0]
    assert first.args["ports"] == [80, 443] and first.args["department"] == "tax"
    assert [e.detail for e in first.evidence] == [
        "line 3: ip nat inside source static tcp 10.1.1.10 443 203.0.113.5 443 extendable",
        "line 4: ip nat inside source static tcp 10.1.1.10 80 203.0.113.5 80"]
    assert first.evidence[0].source == "edge1/show_running-config.txt"
    assert "sub-site of gov.example.cn" in first.recommendation


def test_hosts_of_declared_websites_are_not_flagged():
    inv = config_city(website("tax.gov.example.cn", hosted_in="10.1.1.10"),  # an address
                      website("pay.gov.example.cn", hosted_in="dc"))          # a room holding 10.1.1.11
    assert list(website_published_from_device(context(inv, [config_facts(CISCO)]))) == []


def test_website_declared_at_the_public_address_of_its_forward_is_declared():
    inv = config_city(website("tax.gov.example.cn", hosted_in="203.0.113.5"))  # outside of 10.1.1.10's rules
    assert [f.subjects for f in website_published_from_device(context(inv, [config_facts(CISCO)]))] == [
        ("edge1", "10.1.1.11")]


def test_a_loaded_inventory_may_host_a_website_at_an_address(tmp_path):
    from inventory.loader import load_inventory

    (tmp_path / "inv.yaml").write_text(
        "departments: [{id: tax, name: Tax}]\n"
        "sites: [{id: a, name: A, district: d}]\n"
        "devices: [{name: edge1, host: 10.0.0.1, platform: cisco_ios, department: tax, site: a}]\n"
        "websites: [{domain: tax.gov.example.cn, department: tax, hosted_in: 10.1.1.10},\n"
        "           {domain: pay.gov.example.cn, department: tax, hosted_in: 10.1.1.11}]\n", encoding="utf-8")
    inv = load_inventory(tmp_path)  # refused before: "neither a room id nor a device name"
    assert list(website_published_from_device(context(inv, [config_facts(CISCO)]))) == []


def test_website_hosted_on_a_device_covers_its_interface_addresses():
    from support.citybuild import facts, itf

    inv = config_city(website("tax.gov.example.cn", hosted_in="web-srv"))
    observed = [config_facts(CISCO), facts("web-srv", itf("eth0", addresses=["10.1.1.10/24"]))]
    assert list(website_published_from_device(context(inv, observed))) == []


def test_devices_without_config_or_without_web_forwards_give_nothing():
    observed = [config_facts("hostname edge1\nip nat inside source static tcp 10.1.1.12 25 203.0.113.6 25\n"),
                DeviceFacts(device="web-srv", platform="cisco_ios")]
    assert list(website_published_from_device(context(config_city(), observed))) == []
