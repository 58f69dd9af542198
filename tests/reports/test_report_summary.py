"""analysis.summary: the numbers every report shows, on the small hand-built city."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.context import AuditResult
from analysis.findings import Finding, Severity
from analysis.summary import summarise, top_findings

# Yearly costs of the small city (conftest): lines billed monthly x 12, rooms as declared.
CT_001, CU_002, CM_003 = 10_000 * 12, 8_000 * 12, 60_000
DC1, POL_ROOM = 800_000, 150_000


def test_counts_by_family_severity_and_status(small_result: AuditResult) -> None:
    s = summarise(small_result)
    assert s.findings_total == 6
    assert list(s.by_severity) == ["critical", "high", "medium", "low", "info"]
    assert s.by_severity == {"critical": 0, "high": 1, "medium": 5, "low": 0, "info": 0}
    assert s.by_family["inventory"] == 2 and s.by_family["lines"] == 2 and s.by_family["addressing"] == 0
    assert s.by_family_severity["inventory"]["high"] == 1
    assert s.by_status == {"open": 5, "waived": 1}


def test_city_costs_and_the_proposal_never_count_a_line_twice(small_result: AuditResult) -> None:
    s = summarise(small_result)
    assert s.city.lines_cny == CT_001 + CU_002 + CM_003
    assert s.city.rooms_cny == DC1 + POL_ROOM
    # CU-002 is cancelled as a zombie (its whole cost); the merge of CT-001 and CU-002 then
    # saves on what is left, which is CT-001 only.
    assert s.proposal("circuit", "CU-002").saving_cny_per_year == CU_002
    assert s.proposal("circuit", "CT-001").saving_cny_per_year == 50_000
    assert s.proposed_saving_cny == CU_002 + 50_000 + POL_ROOM
    assert s.city.after_cny == s.city.total_cny - s.proposed_saving_cny
    assert (s.city.lines_removed, s.city.rooms_closed) == (1, 1)
    assert s.proposal("circuit", "CU-002").removed
    assert not s.proposal("circuit", "CT-001").removed
    assert s.proposal("circuit", "CU-002").findings == ("INV003:CU-002", "LIN001:CT-001|CU-002")
    assert s.saving_by_family == {"inventory": CU_002, "lines": 50_000, "rooms": POL_ROOM,
                                  "addressing": 0, "connectivity": 0, "governance": 0}


def test_two_proposals_for_one_line_are_alternatives_not_a_sum(small_result: AuditResult) -> None:
    cancel = Finding("LIN003", "lines", Severity.MEDIUM, ("CM-003",), "t", "r", saving_cny_per_year=CM_003)
    downgrade = Finding("LIN004", "lines", Severity.LOW, ("CM-003",), "t", "r", saving_cny_per_year=20_000)
    s = summarise(dataclasses.replace(small_result, findings=[downgrade, cancel]))
    assert s.proposed_saving_cny == CM_003
    assert s.proposal("circuit", "CM-003").findings == ("LIN003:CM-003", "LIN004:CM-003")


def test_a_saving_larger_than_what_its_lines_cost_is_kept_but_not_attributed(small_result: AuditResult) -> None:
    merge = Finding("LIN001", "lines", Severity.MEDIUM, ("CT-001", "CU-002"), "t", "r",
                    saving_cny_per_year=CT_001 + CU_002 + 4_000)
    s = summarise(dataclasses.replace(small_result, findings=[merge]))
    assert s.proposed_saving_cny == CT_001 + CU_002 + 4_000
    assert s.unattributed_saving_cny == 4_000
    assert s.proposal("circuit", "CT-001").removed and s.proposal("circuit", "CU-002").removed


def test_department_and_site_costs_add_up_to_the_city(small_result: AuditResult) -> None:
    s = summarise(small_result)
    police = next(d for d in s.departments if d.id == "police")
    assert police.local_name == "市公安局"
    assert police.total_cny == CT_001 + CU_002 + POL_ROOM
    assert police.saving_cny == pytest.approx(s.proposed_saving_cny, abs=0.01)  # all savings are police's
    assert sum(d.total_cny for d in s.departments) == pytest.approx(s.city.total_cny)
    # each line counts half at each end site, so sites sum to the city too
    west = next(x for x in s.sites if x.id == "west")
    assert west.lines_cny == CM_003 / 2
    assert sum(x.total_cny for x in s.sites) == pytest.approx(s.city.total_cny)
    assert sum(x.saving_cny for x in s.sites) == pytest.approx(s.proposed_saving_cny, abs=0.02)
    east = next(x for x in s.sites if x.id == "east")
    assert east.saving_cny == (CU_002 + 50_000) / 2 + POL_ROOM
    assert [d.id for d in s.departments] == ["it", "police"]  # most expensive first


def test_waived_findings_propose_nothing(small_result: AuditResult) -> None:
    waived = [dataclasses.replace(f, status="waived") for f in small_result.findings]
    s = summarise(dataclasses.replace(small_result, findings=waived))
    assert s.proposed_saving_cny == 0 and s.proposals == ()
    assert s.city.after_cny == s.city.total_cny


def test_saving_on_no_known_entity_counts_in_the_city_only(small_result: AuditResult) -> None:
    odd = Finding("LIN002", "lines", Severity.LOW, ("Central", "East"), "t", "r", saving_cny_per_year=1_000)
    s = summarise(dataclasses.replace(small_result, findings=[odd]))
    assert s.unattributed_saving_cny == 1_000 and s.proposed_saving_cny == 1_000
    assert all(d.saving_cny == 0 for d in s.departments)


def test_saving_names_lines_through_args_when_subjects_are_not_ids(small_result: AuditResult) -> None:
    f = Finding("LIN002", "lines", Severity.LOW, ("Central", "East"), "t", "r", saving_cny_per_year=30_000,
                args={"circuits": ["CM-003"]})
    s = summarise(dataclasses.replace(small_result, findings=[f]))
    assert s.proposal("circuit", "CM-003").saving_cny_per_year == 30_000
    assert s.entity_findings["CM-003"] == ("LIN002:Central|East",)


def test_collection_rows_cover_every_declared_device(small_result: AuditResult) -> None:
    s = summarise(small_result)
    assert [d.device for d in s.collection] == ["core1", "east1", "west1", "west2"]
    assert s.collection_by_status == {"ok": 1, "partial": 1, "missing": 1, "timeout": 1}
    assert s.devices_failed == 3
    west1 = next(d for d in s.collection if d.device == "west1")
    assert west1.error == "timed out after 30 s" and west1.site == "west"
    east1 = next(d for d in s.collection if d.device == "east1")
    assert east1.problems == ("display lldp neighbor: parse_error: no template matched",)


def test_top_findings_skip_waived_and_keep_severity_order(small_result: AuditResult) -> None:
    top = top_findings(small_result.findings, 3)
    assert [f.code for f in top] == ["INV003", "INV001", "LIN001"]
    assert all(f.status != "waived" for f in top_findings(small_result.findings, 100))
    assert top_findings(small_result.findings, 0) == []


def test_summary_to_dict_is_json_ready(small_result: AuditResult) -> None:
    import json

    d = summarise(small_result).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["costs"]["city"]["total_cny"] == CT_001 + CU_002 + CM_003 + DC1 + POL_ROOM
