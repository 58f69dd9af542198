"""Machine-room checks: score every room and plan their consolidation (ROM001, ROM002).

The plan itself is :mod:`analysis.roomplan` (an exact MILP); this module turns the
inventory and the site graph into its input, scores each room for the planners, puts
the whole plan into ``ctx.extras["room_plan"]`` and reports each room to close (ROM001)
or why no plan exists (ROM002).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from analysis.checks.governance import Governed, approval_status
from analysis.context import AuditContext
from analysis.findings import Evidence, Finding, Severity
from analysis.registry import check, spec
from inventory.model import Inventory

if TYPE_CHECKING:
    from analysis.roomplan import RoomMove, RoomPlan, RoomSpec

__all__ = ["SCORE_HOPS", "plan_rooms", "room_plan", "room_specs"]

#: How far (site-graph hops) the score looks for the nearest room with spare capacity.
SCORE_HOPS = 6


def room_specs(inventory: Inventory) -> list[RoomSpec]:
    """The solver's view of every declared room (central: role or policy list)."""
    from analysis.roomplan import RoomSpec  # numpy and scipy: imported by the room checks only

    central = set(inventory.policy.central_rooms)
    return [
        RoomSpec(
            id=r.id, site=r.site, racks_used=r.racks_used, racks_total=r.racks_total,
            power_kw=r.power_kw, power_capacity_kw=r.power_capacity_kw,
            yearly_cost_cny=r.yearly_cost_cny, isolation=r.isolation,
            central=r.role == "central" or r.id in central,
        )
        for r in inventory.rooms.values()
    ]


def plan_rooms(ctx: AuditContext, **overrides: Any) -> tuple[RoomPlan, list[dict[str, Any]]]:
    """Solve the plan and score every room; ``overrides`` replace :class:`PlanParameters` fields.

    Pure: reads ``ctx`` (inventory, site graph, today), writes nothing.
    """
    from analysis.roomplan import PlanParameters, candidate_targets, room_distances, solve_room_plan

    inventory = ctx.inventory
    params = PlanParameters.from_policy(inventory.policy.room_plan, **overrides)
    specs = room_specs(inventory)
    distances = room_distances(ctx.site_graph, specs, cutoff=max(params.max_hops, SCORE_HOPS))
    plan = solve_room_plan(specs, distances, params)
    nearest = candidate_targets(specs, distances, params, max_hops=SCORE_HOPS, limit=1)
    moves = {m.room: m for m in plan.moves}
    scores = [_score(ctx, s, nearest[s.id], moves.get(s.id), plan.feasible) for s in specs]
    return plan, scores


def _score(ctx: AuditContext, room: RoomSpec, nearest: list[tuple[str, int]], move: RoomMove | None,
           feasible: bool) -> dict[str, Any]:
    """One room's score card: what planners weigh, and the plan's decision for it."""
    declared = ctx.inventory.rooms[room.id]
    status = approval_status(ctx.inventory, Governed("rooms", "room", room.id, declared.department,
                                                      declared.built, declared.approval))
    age = round((ctx.today - declared.built).days / 365.25, 1) if declared.built else None
    return {
        "room": room.id,
        "site": room.site,
        "department": declared.department,
        "central": room.central,
        "isolation": room.isolation,
        "racks_used": room.racks_used,
        "racks_total": room.racks_total,
        "rack_use": round(room.racks_used / room.racks_total, 3) if room.racks_total else None,
        "power_kw": room.power_kw,
        "power_capacity_kw": room.power_capacity_kw,
        "yearly_cost_cny": room.yearly_cost_cny,
        "age_years": age,
        "approval": status,
        "nearest_spare_room": nearest[0][0] if nearest else None,
        "nearest_spare_hops": nearest[0][1] if nearest else None,
        "decision": ("merge" if move else "keep") if feasible else "no plan",
        "into": move.into if move else None,
        "racks_moved": move.racks_moved if move else 0,
        "migration_cost_cny": move.migration_cost_cny if move else 0.0,
        "yearly_saving_cny": move.yearly_saving_cny if move else 0.0,
        "payback_years": move.payback_years if move else None,
    }


def room_plan(ctx: AuditContext) -> dict[str, Any]:
    """The plan and the room scores as JSON, computed once per audit (``ctx.extras["room_plan"]``)."""
    cached = ctx.extras.get("room_plan")
    if isinstance(cached, dict):
        return cached
    plan, scores = plan_rooms(ctx)
    result = plan.to_dict()
    result["rooms"] = scores
    ctx.extras["room_plan"] = result
    return result


def _or_unknown(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


@check("ROM001", "rooms", Severity.MEDIUM, "room to close", costly=True)
def room_to_close(ctx: AuditContext) -> Iterable[Finding]:
    """Machine room that the optimal consolidation plan closes: merge it into another room."""
    plan = room_plan(ctx)
    inventory = ctx.inventory
    params = plan["parameters"]
    for move in plan["moves"]:
        room, target = inventory.rooms[move["room"]], inventory.rooms[move["into"]]
        payback = move["payback_years"]
        power_note = ("" if target.power_capacity_kw is not None
                      else "; its power capacity is not declared: check power before moving")
        yield spec("ROM001").finding(
            subjects=(room.id,),
            title=f"room {room.id} ({room.department}, {room.racks_used} racks) can merge into "
                  f"{target.id} at {target.site}, {move['hops']} hops away",
            recommendation=(f"Move {move['racks_moved']} racks into {target.id} and close {room.id}: "
                            f"one-off {move['migration_cost_cny']:,.0f} CNY, saves "
                            f"{move['yearly_saving_cny']:,.0f} CNY a year"
                            + (f", pays back in {payback} years." if payback is not None else ".")),
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
        )


@check("ROM002", "rooms", Severity.INFO, "no feasible room plan", costly=True)
def no_feasible_plan(ctx: AuditContext) -> Iterable[Finding]:
    """No consolidation plan meets the constraints (capacity, isolation, distance, targets)."""
    plan = room_plan(ctx)
    if plan["status"] != "infeasible":
        return
    params = plan["parameters"]
    yield spec("ROM002").finding(
        subjects=("plan",),
        title=f"no room consolidation plan meets the constraints: {plan['message']}",
        recommendation="Relax a constraint in policy.room_plan (max_hops, max_rooms_kept, close) "
                       "or add capacity to a room that may stay.",
        evidence=[Evidence(ctx.inventory.source("policy", "policy"),
                           f"room_plan: max_hops {params['max_hops']}, max_rooms_kept "
                           f"{params['max_rooms_kept']}, close {', '.join(params['close']) or 'none'}")]
        + [Evidence(ctx.inventory.source("rooms", r), f"room {r} has no allowed target")
           for r in plan["unplaceable"]],
        message=plan["message"], unplaceable=plan["unplaceable"],
    )

