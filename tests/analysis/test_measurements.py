"""Utilisation samples: from CSV (good rows load, bad rows name file, line and field) and
from the devices' own averaged rates of one run (which end, directions, names)."""

from __future__ import annotations

import datetime as dt

import pytest
from support.citybuild import circuit, city, context, device, facts, run_check

from analysis.measurements import load_utilisation_csv, percentile, samples_from_facts
from collectors.facts import Interface
from core.errors import InputError


def test_samples_load_per_circuit_in_time_order_with_their_source(tmp_path):
    path = tmp_path / "util.csv"
    path.write_text("circuit,time,in_mbps,out_mbps\n"
                    "c1,2026-05-01T11:00,1.5,4\n"
                    "c1,2026-05-01T10:00,2,3\n"
                    "c2,2026-05-01T10:00,0,0\n", encoding="utf-8")
    data = load_utilisation_csv(path)
    assert [s.peak_mbps for s in data["c1"]] == [3.0, 4.0]
    assert data["c1"][0].source == f"{path}:3"
    assert list(data) == ["c1", "c2"]


def test_every_bad_row_is_reported_with_its_line_and_field(tmp_path):
    path = tmp_path / "util.csv"
    path.write_text("circuit,time,in_mbps,out_mbps\n"
                    "c1,yesterday,1,1\n"
                    ",2026-05-01T10:00,-3,x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_utilisation_csv(path)
    problems = {(p.line, p.field) for p in err.value.problems}
    assert problems == {(2, "time"), (3, "circuit"), (3, "in_mbps"), (3, "out_mbps")}
    assert f"{path}:2: time:" in str(err.value)


def test_missing_columns_and_missing_files_are_clear_errors(tmp_path):
    path = tmp_path / "util.csv"
    path.write_text("circuit,when\nc1,2026-05-01\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        load_utilisation_csv(path)
    with pytest.raises(InputError, match="cannot read"):
        load_utilisation_csv(tmp_path / "nope.csv")


def test_percentile_is_a_measured_value():
    assert percentile([5, 1, 3], 50) == 3
    with pytest.raises(ValueError):
        percentile([], 95)


# --- samples from the devices' own rates ---------------------------------------------------

NIGHT = dt.datetime(2026, 5, 1, 2, 0)


def port(name: str, in_bps: float | None, out_bps: float | None) -> Interface:
    """A port with the rates a parser read (names given as the device printed them)."""
    return Interface(name=name, oper_up=True, in_bps=in_bps, out_bps=out_bps)


def one_line(a_port: str | None = "Gi0/1", z_port: str | None = "Gi0/2", **ends: str | None):
    """An inventory of one 100 Mbit/s line c1 between r1 (site a) and r2 (site b)."""
    return city(devices=[device("r1", "a"), device("r2", "b")],
                circuits=[circuit("c1", "a", "b", mbps=100, a_device=ends.get("a_device", "r1"), a_port=a_port,
                                  z_device=ends.get("z_device", "r2"), z_port=z_port)])


def test_a_line_is_sampled_at_its_a_end_in_mbps_at_the_run_time():
    seen = [facts("r1", port("GigabitEthernet0/1", 3_500_000, 12_000_000)),
            facts("r2", port("GigabitEthernet0/2", 11_000_000, 3_000_000))]
    sample = samples_from_facts(one_line(), {f.device: f for f in seen}, NIGHT)["c1"]
    assert (sample.circuit, sample.at, sample.in_mbps, sample.out_mbps) == ("c1", NIGHT, 3.5, 12.0)
    assert sample.peak_mbps == 12.0
    assert sample.source == "r1 GigabitEthernet0/1 (A end):20260501T020000"


def test_the_z_end_stands_in_with_its_directions_turned_towards_a():
    z_only = {"r2": facts("r2", port("GigabitEthernet0/2", 11_000_000, 3_000_000))}
    sample = samples_from_facts(one_line(), z_only, NIGHT)["c1"]
    # what r2 sends (3 Mbit/s) is what arrives at the A end
    assert (sample.in_mbps, sample.out_mbps) == (3.0, 11.0)
    assert sample.source.startswith("r2 GigabitEthernet0/2 (Z end):")


@pytest.mark.parametrize("a_end", [
    facts("r1", port("GigabitEthernet0/1", None, None)),  # the platform printed no rate
    facts("r1", port("GigabitEthernet0/1", 1_000_000, None)),  # one direction only
    facts("r1", port("GigabitEthernet0/9", 1_000_000, 1_000_000)),  # not the line's port
    facts("r1", status="auth_failed"),  # collected, nothing read
], ids=["no-rates", "one-direction", "other-port", "failed"])
def test_an_a_end_without_both_rates_gives_way_to_the_z_end(a_end):
    seen = {"r1": a_end, "r2": facts("r2", port("GigabitEthernet0/2", 2_000_000, 1_000_000))}
    assert samples_from_facts(one_line(), seen, NIGHT)["c1"].source.startswith("r2 ")


def test_a_line_with_no_readable_end_gets_no_sample():
    no_rates = {"r1": facts("r1", port("GigabitEthernet0/1", None, None))}  # r2 not collected
    assert samples_from_facts(one_line(), no_rates, NIGHT) == {}
    undeclared = one_line(a_port=None, z_port=None)  # the inventory names no port
    busy = {"r1": facts("r1", port("GigabitEthernet0/1", 1e6, 1e6)),
            "r2": facts("r2", port("GigabitEthernet0/2", 1e6, 1e6))}
    assert samples_from_facts(undeclared, busy, NIGHT) == {}
    assert samples_from_facts(one_line(a_device=None, z_device=None), busy, NIGHT) == {}


def test_names_are_compared_normalised_on_both_sides():
    inv = one_line(a_port="GE0/0/1")  # Huawei's short form in the inventory
    printed_short = {"r1": facts("r1", port("Gi0/0/1", 4_000_000, 2_000_000))}  # an unnormalised fact
    assert samples_from_facts(inv, printed_short, NIGHT)["c1"].in_mbps == 4.0
    long_form = {"r1": facts("r1", port("GigabitEthernet0/0/1", 4_000_000, 2_000_000))}
    assert samples_from_facts(inv, long_form, NIGHT)["c1"].in_mbps == 4.0


def test_an_idle_line_is_sampled_as_zero_not_skipped():
    idle = {"r1": facts("r1", port("GigabitEthernet0/1", 0.0, 0.0))}
    sample = samples_from_facts(one_line(), idle, NIGHT)["c1"]
    assert (sample.in_mbps, sample.out_mbps) == (0.0, 0.0)


def test_nightly_samples_decide_lin004_only_once_enough_runs_are_recorded():
    inv = one_line()
    seen = {"r1": facts("r1", port("GigabitEthernet0/1", 2_000_000, 3_000_000))}  # 3 % of 100 Mbit/s
    nights = [samples_from_facts(inv, seen, NIGHT + dt.timedelta(days=d))["c1"] for d in range(24)]
    assert inv.policy.lines.underuse_min_samples == 24
    assert run_check(context(inv, utilisation={"c1": nights[:23]}), "LIN004") == []
    (finding,) = run_check(context(inv, utilisation={"c1": nights}), "LIN004")
    assert finding.args["samples"] == 24 and finding.args["percentile_mbps"] == 3.0
    assert any(e.source == "r1 GigabitEthernet0/1 (A end)" for e in finding.evidence)

