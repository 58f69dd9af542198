"""The audit context owns what checks share: each derived analysis is computed once per
context, on first use, and checks never write to the context."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from support.citybuild import circuit, city, context, facts, itf, network, room

import analysis.addresses
import analysis.lineplan
import analysis.roomplan
from analysis.context import DERIVED, AuditContext
from analysis.registry import run_checks
from inventory.model import Inventory

#: (module, function) each derived analysis of the context is computed by
COMPUTED_BY = {
    "line_plan": (analysis.lineplan, "compute_line_plan"),
    "room_plan": (analysis.roomplan, "room_plan_report"),
    "address_index": (analysis.addresses, "NetworkIndex"),
    "contradicted_isolation": (analysis.addresses, "contradicted_isolation"),
}


def rooms_lines_and_addresses() -> Inventory:
    """A hub with a central room, two sites with rooms, lines and a logically isolated network."""
    return city(
        rooms=[room("dc", "hub", role="central", racks_total=40, racks_used=10),
               room("ra", "a", racks_used=2), room("rb", "b", racks_used=3)],
        circuits=[circuit("c-a", "hub", "a"), circuit("c-b", "hub", "b"), circuit("c-ab", "a", "b")],
        networks=[network("tax", isolation="logical", prefixes=["10.5.0.0/16"])],
        backbone=True,
        address_plan={"it": ["10.0.0.0/8"]},
    )


def observed() -> list:
    return [facts("r1", itf("Vlan10", addresses=["10.5.1.1/24", "192.168.1.1/24"])),
            facts("r2", itf("Vlan10", addresses=["10.5.1.1/24"]))]


def counting(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count the computations of each derived analysis (the originals still run)."""
    calls: Counter[str] = Counter()
    for name, (module, function) in COMPUTED_BY.items():
        original: Callable[..., Any] = getattr(module, function)

        def counted(*args: Any, _name: str = name, _original: Callable[..., Any] = original, **kw: Any) -> Any:
            calls[_name] += 1
            return _original(*args, **kw)

        monkeypatch.setattr(module, function, counted)
    return calls


def test_every_check_shares_one_computation_of_each_derived_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    ctx = context(rooms_lines_and_addresses(), observed())
    findings = run_checks(ctx)
    assert findings  # the checks did run on this city
    assert calls == {name: 1 for name in COMPUTED_BY}
    run_checks(ctx)  # a second pass over the same audit computes nothing again
    assert calls == {name: 1 for name in COMPUTED_BY}


def test_checks_never_write_to_the_context() -> None:
    ctx = context(rooms_lines_and_addresses(), observed())
    before = {f.name: getattr(ctx, f.name) for f in dataclasses.fields(ctx)}
    snapshot = {name: (value, repr(value)) for name, value in before.items()}
    run_checks(ctx)
    for name, (value, text) in snapshot.items():
        assert getattr(ctx, name) is value, f"a check replaced ctx.{name}"
        assert repr(getattr(ctx, name)) == text, f"a check changed ctx.{name}"
    added = set(vars(ctx)) - {f.name for f in dataclasses.fields(ctx)}
    assert added <= set(DERIVED), f"checks left {sorted(added - set(DERIVED))} on the context"


def test_a_derived_analysis_is_computed_from_its_own_context() -> None:
    """No plan outlives its context or leaks into another one (the old cache was keyed by id())."""
    full = context(rooms_lines_and_addresses())
    assert full.line_plan is full.line_plan
    fewer = dataclasses.replace(full, inventory=dataclasses.replace(
        full.inventory, circuits={k: v for k, v in full.inventory.circuits.items() if k != "c-ab"}))
    assert set(full.line_plan.lines) == {"c-a", "c-b", "c-ab"}
    assert set(fewer.line_plan.lines) == {"c-a", "c-b"}
    assert fewer.room_plan is not full.room_plan


def test_only_what_was_used_is_computed() -> None:
    ctx = context(rooms_lines_and_addresses())
    assert ctx.computed() == {}
    plan = ctx.line_plan
    assert ctx.computed() == {"graph": ctx.graph, "site_graph": ctx.site_graph, "line_plan": plan}
    assert ctx.computed(["room_plan"]) == {}  # the room solver has not run


def test_adopted_analyses_are_not_computed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = context(rooms_lines_and_addresses())
    from_a_fork = {"status": "optimal", "moves": []}

    def no_solver(*args: Any) -> None:
        raise AssertionError("the adopted room plan was computed again")

    monkeypatch.setattr(analysis.roomplan, "room_plan_report", no_solver)
    ctx.adopt({"room_plan": from_a_fork})
    assert ctx.room_plan is from_a_fork
    ctx.adopt({"room_plan": {"status": "empty"}})  # the first one stays
    assert ctx.room_plan is from_a_fork


@pytest.mark.parametrize("use", [lambda ctx: ctx.adopt({"extras": {}}), lambda ctx: ctx.computed(["extras"])])
def test_only_derived_analyses_can_be_shared(use: Callable[[AuditContext], object]) -> None:
    ctx = context(rooms_lines_and_addresses())
    with pytest.raises(ValueError, match="not a derived analysis of an audit: extras"):
        use(ctx)
    assert "extras" not in vars(ctx)


def test_a_check_cannot_assign_an_input_of_the_context() -> None:
    ctx = context(city(), [])
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.facts = {}  # type: ignore[misc]
