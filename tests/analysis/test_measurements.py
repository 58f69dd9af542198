"""Utilisation samples from CSV: good rows load, bad rows name file, line and field."""

from __future__ import annotations

import pytest

from analysis.measurements import load_utilisation_csv, percentile
from netcensus.errors import InputError


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
