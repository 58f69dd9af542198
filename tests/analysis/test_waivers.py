"""Waivers: accepted exceptions are reported as waived until they expire, then open again."""

from __future__ import annotations

import datetime as dt
import textwrap

from analysis.findings import Finding, Severity
from inventory.model import Inventory, Waiver
from netcensus.pipeline import apply_waivers, audit

TODAY = dt.date(2026, 6, 1)


def finding(code: str, *subjects: str) -> Finding:
    return Finding(code=code, family="governance", severity=Severity.MEDIUM, subjects=subjects,
                   title="t", recommendation="r", args={"domain": subjects[0]})


def inventory(*waivers: Waiver) -> Inventory:
    return Inventory(waivers={w.key: w for w in waivers})


def waiver(key: str, expires: dt.date | None) -> Waiver:
    return Waiver(key=key, reason="moves with the 2027 portal upgrade", approved_by="Li Wei", expires=expires)


def test_current_waiver_marks_the_finding_waived_and_says_why():
    (out,) = apply_waivers([finding("GOV003", "a.cn")], inventory(waiver("GOV003:a.cn", dt.date(2027, 1, 1))), TODAY)
    assert out.status == "waived"
    assert out.args["waiver_reason"] == "moves with the 2027 portal upgrade"
    assert out.args["waiver_approved_by"] == "Li Wei"
    assert out.args["waiver_expires"] == "2027-01-01"
    assert out.args["domain"] == "a.cn"  # the check's own message parameters stay
    assert "waiver_expired" not in out.args


def test_waiver_holds_through_its_expiry_date_and_not_a_day_longer():
    w = waiver("GOV003:a.cn", TODAY)
    (on_the_day,) = apply_waivers([finding("GOV003", "a.cn")], inventory(w), TODAY)
    (day_after,) = apply_waivers([finding("GOV003", "a.cn")], inventory(w), TODAY + dt.timedelta(days=1))
    assert on_the_day.status == "waived"
    assert day_after.status == "open"
    assert day_after.args["waiver_expired"] == str(TODAY)
    assert day_after.args["waiver_approved_by"] == "Li Wei"


def test_waiver_without_expiry_never_expires():
    (out,) = apply_waivers([finding("GOV003", "a.cn")], inventory(waiver("GOV003:a.cn", None)), dt.date(2099, 1, 1))
    assert out.status == "waived" and out.args["waiver_expires"] is None


def test_only_the_named_finding_is_waived_and_order_is_kept():
    findings = [finding("GOV003", "a.cn"), finding("GOV003", "b.cn"), finding("GOV001", "a.cn")]
    out = apply_waivers(findings, inventory(waiver("GOV003:b.cn", None), waiver("LIN001:x|y", None)), TODAY)
    assert [(f.key, f.status) for f in out] == [("GOV003:a.cn", "open"), ("GOV003:b.cn", "waived"),
                                                ("GOV001:a.cn", "open")]
    assert out[0] is findings[0]  # untouched findings are passed through as they are


def test_multi_subject_keys_match_exactly():
    f = finding("ADR001", "hr-lan", "tax-lan")
    (waived,) = apply_waivers([f], inventory(waiver("ADR001:hr-lan|tax-lan", None)), TODAY)
    (reversed_key,) = apply_waivers([f], inventory(waiver("ADR001:tax-lan|hr-lan", None)), TODAY)
    assert waived.status == "waived" and reversed_key.status == "open"


def test_audit_reports_waived_then_open_again(tmp_path):
    (tmp_path / "inventory.yaml").write_text(textwrap.dedent("""\
        departments:
          - {id: health, name: Health Commission}
        websites:
          - {domain: health-city.example, department: health, independent: true}
          - {domain: edu-city.example, department: health, independent: true}
        policy:
          portal_domain: city.example
        waivers:
          - key: GOV003:health-city.example
            reason: Moves to the portal in 2027
            approved_by: City informatization office
            expires: 2027-01-01
        """), encoding="utf-8")
    before = audit(tmp_path, None, select=["GOV003"], today=dt.date(2026, 6, 1))
    after = audit(tmp_path, None, select=["GOV003"], today=dt.date(2027, 1, 2))
    assert {f.key: f.status for f in before.findings} == {"GOV003:health-city.example": "waived",
                                                          "GOV003:edu-city.example": "open"}
    assert {f.key: f.status for f in after.findings} == {"GOV003:health-city.example": "open",
                                                         "GOV003:edu-city.example": "open"}
    expired = next(f for f in after.findings if f.key == "GOV003:health-city.example")
    assert expired.args["waiver_expired"] == "2027-01-01"

