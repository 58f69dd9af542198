"""Machine-room checks: score every room and plan their consolidation (ROM001, ROM002).

The plan itself is :mod:`analysis.roomplan` (an exact MILP, with each room's score card
for the planners); the audit computes it once (``AuditContext.room_plan``, which reports
show) and these checks report each room to close (ROM001) or why no plan exists (ROM002).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from analysis.context import AuditContext
from analysis.findings import Evidence, Finding, Severity
from analysis.registry import check, spec

if TYPE_CHECKING:
    from analysis.roomplan import RoomPlan

__all__ = ["plan_rooms"]


def plan_rooms(ctx: AuditContext, **overrides: Any) -> tuple[RoomPlan, list[dict[str, Any]]]:
    """:func:`analysis.roomplan.plan_rooms` on an audit's inventory, site graph and day (what-if
    questions: ``overrides`` replace plan parameters). The policy's plan is ``ctx.room_plan``."""
    # numpy and scipy are imported only when rooms are planned.
    from analysis.roomplan import plan_rooms as solve

    return solve(ctx.inventory, ctx.site_graph, ctx.today, **overrides)


def _or_unknown(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


@check("ROM001", "rooms", Severity.MEDIUM, "room to close", costly=True)
def room_to_close(ctx: AuditContext) -> Iterable[Finding]:
    """Machine room that the optimal consolidation plan closes: merge it into another room."""
    plan = ctx.room_plan
    inventory = ctx.inventory
    params = plan["parameters"]
    for move in plan["moves"]:
        room, target = inventory.rooms[move["room"]], inventory.rooms[move["into"]]
        payback = move["payback_years"]
        power_note = ("" if target.power_capacity_kw is not None
                      else "; its power capacity is not declared: check power before moving")
        yield spec("ROM001").finding(
            subjects=(room.id,),
            evidence=[
                Evidence(inventory.source("rooms", room.id),
                         f"room {room.id}: {room.racks_used}/{room.racks_total} racks, {room.power_kw} kW, "
                         f"{room.yearly_cost_cny:,.0f} CNY/year, isolation {room.isolation}"),
                Evidence(inventory.source("rooms", target.id),
                         f"room {target.id}: {target.racks_used}/{target.racks_total} racks, "
                         f"{target.power_kw}/{_or_unknown(target.power_capacity_kw)} kW, "
                         f"isolation {target.isolation}{power_note}"),
                Evidence("room plan", f"{plan['status']} plan: {plan['message']}; "
                                      f"{params['migration_cost_per_rack_cny']:,.0f} CNY per rack moved, "
                                      f"horizon {params['horizon_years']} years, at most {params['max_hops']} hops"),
            ],
            saving_cny_per_year=move["yearly_saving_cny"],
            room=room.id, into=target.id, racks_moved=move["racks_moved"], hops=move["hops"],
            migration_cost_cny=move["migration_cost_cny"], payback_years=payback,
            department=room.department, racks_used=room.racks_used, into_site=target.site,
        )


@check("ROM002", "rooms", Severity.INFO, "no feasible room plan", costly=True)
def no_feasible_plan(ctx: AuditContext) -> Iterable[Finding]:
    """No consolidation plan meets the constraints (capacity, isolation, distance, targets)."""
    plan = ctx.room_plan
    if plan["status"] != "infeasible":
        return
    params = plan["parameters"]
    yield spec("ROM002").finding(
        subjects=("plan",),
        evidence=[Evidence(ctx.inventory.source("policy", "policy"),
                           f"room_plan: max_hops {params['max_hops']}, max_rooms_kept "
                           f"{params['max_rooms_kept']}, close {', '.join(params['close']) or 'none'}")]
        + [Evidence(ctx.inventory.source("rooms", r), f"room {r} has no allowed target")
           for r in plan["unplaceable"]],
        message=plan["message"], unplaceable=plan["unplaceable"],
    )

