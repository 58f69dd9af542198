"""Governance checks: what was built against the policy (GOV001-GOV004).

The policy (DESIGN.md section 1): from ``policy.approval_required_from`` on, every new
machine room, network, leased line and website needs an approval (报批) that covers it;
no department builds a new independent-domain website: websites become sub-sites of the
city portal (``policy.portal_domain``).

When an entity "appeared": its ``built`` date; for a leased line, its contract start.
An entity without that date cannot be judged and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.approvals import approval_status, governed_entities
from analysis.context import AuditContext
from analysis.findings import Evidence, Finding, Severity
from analysis.registry import check, spec
from inventory.model import Policy, is_ipv4_address

# The approval rule itself is in analysis.approvals (the room plan's score cards use it too).
__all__ = ["NatRule", "is_portal_subsite", "published_web_rules"]

#: TCP ports that publish a website.
WEB_PORTS = frozenset({80, 443})
#: Port keywords that Cisco, Huawei and H3C accept in place of numbers.
_PORT_NAMES = {"www": 80, "http": 80, "https": 443}
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


@check("GOV001", "governance", Severity.HIGH, "built without approval")
def built_without_approval(ctx: AuditContext) -> Iterable[Finding]:
    """Room, network, leased line or website built after the policy date without approval."""
    inventory = ctx.inventory
    start = inventory.policy.approval_required_from
    for entity in governed_entities(inventory):
        if approval_status(inventory, entity) != "missing":
            continue
        yield spec("GOV001").finding(
            subjects=(entity.id,),
            evidence=[
                Evidence(inventory.source(entity.section, entity.id),
                         f"{entity.kind} {entity.id}: appeared {entity.appeared}, approval: none"),
                Evidence(inventory.source("policy", "policy"), f"approval required from {start}"),
            ],
            kind=entity.kind, entity=entity.id, department=entity.department,
            appeared=str(entity.appeared), required_from=str(start),
        )


@check("GOV002", "governance", Severity.MEDIUM, "approval does not cover")
def approval_does_not_cover(ctx: AuditContext) -> Iterable[Finding]:
    """Approval reference that does not cover the entity, or is dated after it was built."""
    inventory = ctx.inventory
    for entity in governed_entities(inventory):
        status = approval_status(inventory, entity)
        if status not in ("unknown_approval", "not_covered", "late"):
            continue
        approval = inventory.approvals.get(entity.approval or "")
        evidence = [Evidence(inventory.source(entity.section, entity.id),
                             f"{entity.kind} {entity.id}: appeared {entity.appeared}, approval {entity.approval}")]
        if approval is not None:
            evidence.append(Evidence(inventory.source("approvals", approval.id),
                                     f"approval {approval.id} dated {approval.date} covers: "
                                     f"{', '.join(approval.covers) or 'nothing'}"))
        yield spec("GOV002").finding(
            subjects=(entity.id,),
            evidence=evidence,
            kind=entity.kind, entity=entity.id, approval=entity.approval, problem=status,
            appeared=str(entity.appeared),
            approval_date=str(approval.date) if approval else None,
        )


def is_portal_subsite(domain: str, policy: Policy) -> bool | None:
    """Whether ``domain`` is the city portal or a sub-site of it; None without a portal.

    >>> p = Policy(portal_domain="gov.example.cn")
    >>> [is_portal_subsite(d, p) for d in ("tax.gov.example.cn", "gov.example.cn", "tax-gov.example.cn")]
    [True, True, False]
    """
    if not policy.portal_domain:
        return None
    portal = policy.portal_domain.lower().strip(".")
    name = domain.lower().strip(".")
    return name == portal or name.endswith("." + portal)


@check("GOV003", "governance", Severity.MEDIUM, "independent-domain website")
def independent_website(ctx: AuditContext) -> Iterable[Finding]:
    """Independent-domain website: not a sub-site of the city portal."""
    inventory = ctx.inventory
    portal = inventory.policy.portal_domain
    for site in inventory.websites.values():
        subsite = is_portal_subsite(site.domain, inventory.policy)
        # With a portal declared, the domain name decides; otherwise the declared flag does.
        independent = (not subsite) if subsite is not None else site.independent
        if not independent:
            continue
        yield spec("GOV003").finding(
            subjects=(site.domain,),
            evidence=[Evidence(inventory.source("websites", site.domain),
                               f"website {site.domain}: department {site.department}, "
                               f"hosted in {site.hosted_in or 'unknown'}")],
            domain=site.domain, department=site.department, portal=portal,
        )


@dataclass(frozen=True, slots=True)
class NatRule:
    """A static NAT / port forward of a TCP port to an inside host, from a configuration."""

    line: int  # 1-based line number in the configuration
    text: str
    inside: str  # the inside (private) address
    inside_port: int | None
    outside: str  # the global address, or "interface <name>"
    outside_port: int | None


def _port(token: str | None) -> int | None:
    if token is None:
        return None
    if token.isdigit():
        return int(token)
    return _PORT_NAMES.get(token.lower())


def _cisco_rule(tokens: list[str]) -> tuple[str, int | None, str, int | None] | None:
    """``ip nat inside source static tcp A Pa (B | interface X) Pb ...``."""
    try:
        at = tokens.index("static")
    except ValueError:
        return None
    rest = tokens[at + 1:]
    if len(rest) < 5 or rest[0] != "tcp" or not _IPV4.match(rest[1]):
        return None
    inside, inside_port = rest[1], _port(rest[2])
    if rest[3] == "interface" and len(rest) >= 6:
        outside, outside_port = f"interface {rest[4]}", _port(rest[5])
    else:
        outside, outside_port = rest[3], _port(rest[4])
    return inside, inside_port, outside, outside_port


def _address_and_port(tokens: list[str], at: int) -> tuple[str, int | None]:
    """After ``global``/``inside``: an address (or interface), an optional range end, a port."""
    if at >= len(tokens):
        return "", None
    if tokens[at] == "interface" and at + 2 < len(tokens):
        return f"interface {tokens[at + 1]}", _port(tokens[at + 2])
    if tokens[at] == "current-interface":
        return "current-interface", _port(tokens[at + 1] if at + 1 < len(tokens) else None)
    address = tokens[at]
    nxt = at + 1
    if nxt < len(tokens) and _IPV4.match(tokens[nxt]):  # an address range: first..last
        nxt += 1
    return address, _port(tokens[nxt] if nxt < len(tokens) else None)


def _vrp_rule(tokens: list[str]) -> tuple[str, int | None, str, int | None] | None:
    """Huawei/H3C ``nat server|static ... protocol tcp global B Pb inside A Pa ...``."""
    if "protocol" not in tokens or "global" not in tokens or "inside" not in tokens:
        return None
    proto = tokens.index("protocol")
    if proto + 1 >= len(tokens) or tokens[proto + 1] != "tcp":
        return None
    outside, outside_port = _address_and_port(tokens, tokens.index("global") + 1)
    inside, inside_port = _address_and_port(tokens, tokens.index("inside") + 1)
    if not _IPV4.match(inside):
        return None
    return inside, inside_port, outside, outside_port


def published_web_rules(config: str) -> list[NatRule]:
    """Static NAT / port-forward rules that publish TCP 80 or 443 of an inside host.

    Understands Cisco IOS ``ip nat inside source static tcp``, Huawei VRP ``nat server`` and
    ``nat static`` with ``protocol tcp``, and H3C Comware ``nat server protocol tcp``. A
    one-to-one static NAT without ports is not counted: it does not say a website is there.

    >>> cfg = '''ip nat inside source static tcp 10.1.1.10 443 203.0.113.5 443 extendable
    ...  nat server protocol tcp global 203.0.113.6 www inside 10.1.1.11 8080
    ... ip nat inside source static tcp 10.1.1.12 25 203.0.113.7 25'''
    >>> [(r.line, r.inside, r.outside_port) for r in published_web_rules(cfg)]
    [(1, '10.1.1.10', 443), (2, '10.1.1.11', 80)]
    """
    rules: list[NatRule] = []
    if "nat" not in config:
        return rules
    for number, raw in enumerate(config.splitlines(), start=1):
        if "nat" not in raw:  # every rule below has the word: skip the rest of a long config unsplit
            continue
        tokens = raw.split()
        if len(tokens) < 2 or tokens[0] in ("!", "#", "undo", "no"):
            continue
        if tokens[:4] == ["ip", "nat", "inside", "source"]:
            parsed = _cisco_rule(tokens)
        elif tokens[0] == "nat" and tokens[1] in ("server", "static"):
            parsed = _vrp_rule(tokens)
        else:
            continue
        if parsed is None:
            continue
        inside, inside_port, outside, outside_port = parsed
        if inside_port in WEB_PORTS or outside_port in WEB_PORTS:
            rules.append(NatRule(number, raw.strip(), inside, inside_port, outside, outside_port))
    return rules


def _declared_web_hosts(ctx: AuditContext) -> set[str]:
    """Addresses of the hosts that declared websites run on.

    A website's ``hosted_in`` may be an address (the inside host of a port forward, or the
    public address it is published on), a device (its management address and every
    observed interface address count) or a room (every device in it counts).
    """
    inventory = ctx.inventory
    hosts: set[str] = set()
    by_room: dict[str, list[str]] = {}
    for dev in inventory.devices.values():
        if dev.room:
            by_room.setdefault(dev.room, []).append(dev.name)
    for site in inventory.websites.values():
        where = site.hosted_in
        if not where:
            continue
        hosts.add(where)
        devices = [where] if where in inventory.devices else by_room.get(where, [])
        for name in devices:
            hosts.add(inventory.devices[name].host)
            facts = ctx.facts.get(name)
            for itf in facts.interfaces if facts else ():
                hosts.update(a.split("/", 1)[0] for a in itf.addresses)
    return hosts


def _config_source(ctx: AuditContext, device: str) -> str:
    return ctx.fact_source(device, "config")


@check("GOV004", "governance", Severity.MEDIUM, "website published from a device")
def website_published_from_device(ctx: AuditContext) -> Iterable[Finding]:
    """Website published by a device's static NAT / port forward of 80/443, not declared."""
    declared = _declared_web_hosts(ctx)
    portal = ctx.inventory.policy.portal_domain
    for name, facts in sorted(ctx.facts.items()):
        if not facts.config:
            continue
        by_host: dict[str, list[NatRule]] = {}
        for rule in published_web_rules(facts.config):
            # A website declared at the inside host's address, or at the public address the
            # rule publishes it on, is the declared one.
            if rule.inside not in declared and rule.outside not in declared and is_ipv4_address(rule.inside):
                by_host.setdefault(rule.inside, []).append(rule)
        device = ctx.inventory.devices.get(name)
        source = _config_source(ctx, name)
        for inside, rules in sorted(by_host.items()):
            ports = sorted({p for r in rules for p in (r.outside_port, r.inside_port) if p in WEB_PORTS})
            yield spec("GOV004").finding(
                subjects=(name, inside),
                evidence=[Evidence(source, f"line {r.line}: {r.text}") for r in rules],
                device=name, inside=inside, ports=ports,
                outside=sorted({r.outside for r in rules}),
                department=device.department if device else None, portal=portal,
            )
