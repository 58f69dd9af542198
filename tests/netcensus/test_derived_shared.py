"""Derived analyses across forked check processes, and the typed side results of an audit."""

from __future__ import annotations

import json
from typing import Any

import pytest

import analysis.roomplan
from analysis.context import REPORTED
from analysis.registry import run_checks, selected_checks
from netcensus.pipeline import audit, prepare, run_checks_shared
from netcensus.sample import SampleCity
from reports.json_report import dumps, report_dict


def test_the_room_plan_a_fork_computed_comes_back_once(sample_city: SampleCity,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    here = prepare(sample_city.inventory_dir, sample_city.captures_dir)
    run_checks(here, selected_checks())
    solved_here: list[int] = []  # solutions computed in this process (a fork's are its own)
    solve = analysis.roomplan.room_plan_report

    def counted(*args: Any) -> Any:
        solved_here.append(1)
        return solve(*args)

    monkeypatch.setattr(analysis.roomplan, "room_plan_report", counted)
    shared = prepare(sample_city.inventory_dir, sample_city.captures_dir)
    run_checks_shared(shared, selected_checks(), processes=2)
    assert "room_plan" in shared.computed(REPORTED)
    solved = len(solved_here)
    assert solved <= 1  # here or in the fork, never both
    assert shared.room_plan == here.room_plan
    assert len(solved_here) == solved  # reading it again solves nothing


def test_an_audit_without_room_checks_solves_no_room_plan(sample_city: SampleCity,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def no_solver(*args: Any) -> None:
        raise AssertionError("the room plan was solved without a room check")

    monkeypatch.setattr(analysis.roomplan, "room_plan_report", no_solver)
    result = audit(sample_city.inventory_dir, sample_city.captures_dir, ignore=["rooms"])
    assert result.room_plan is None
    report = report_dict(result)
    assert report["extras"] == {} and "extras_omitted" not in report


def test_the_room_plan_reaches_the_json_report_where_it_always_was(sample_city: SampleCity) -> None:
    result = audit(sample_city.inventory_dir, sample_city.captures_dir, select=["rooms"])
    assert result.room_plan is not None and result.room_plan["rooms"]
    report = json.loads(dumps(report_dict(result)))
    assert report["extras"] == {"room_plan": json.loads(json.dumps(result.room_plan))}
    assert "run" not in report and "diff" not in report  # not a recorded run
