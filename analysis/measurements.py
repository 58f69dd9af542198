"""Utilisation samples of leased lines: the input of LIN004 and of LIN003's demand.

A sample is the traffic a line carried over one interval, in each direction, as
an NMS exports it or as a collector derives it from interface counters of two
runs (bytes delta * 8 / seconds). The CSV form, one sample a line::

    circuit,time,in_mbps,out_mbps
    CT-0001,2026-05-01T10:00,3.2,7.9

Bad rows are reported all at once with file, line and field
(:class:`netcensus.errors.InputError`).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from netcensus.errors import InputError, Problem

__all__ = ["COLUMNS", "UtilisationSample", "load_utilisation_csv", "peak_mbps", "percentile"]

COLUMNS = ("circuit", "time", "in_mbps", "out_mbps")


@dataclass(frozen=True, slots=True)
class UtilisationSample:
    """Traffic of one line over one interval (Mbit/s, each direction)."""

    circuit: str
    at: dt.datetime
    in_mbps: float
    out_mbps: float
    source: str = ""  # where it was read: "utilisation.csv:12"

    @property
    def peak_mbps(self) -> float:
        """The busier direction: a line is sized for it."""
        return max(self.in_mbps, self.out_mbps)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile by the nearest-rank method (a value that was measured).

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)
    10
    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)
    5
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < q <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {q}")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def peak_mbps(samples: Sequence[UtilisationSample]) -> float | None:
    """The highest sample of a line, or None when it was never measured."""
    return max((s.peak_mbps for s in samples), default=None)


def load_utilisation_csv(path: Path | str) -> dict[str, tuple[UtilisationSample, ...]]:
    """Read a utilisation CSV into circuit id -> samples (in time order)."""
    path = Path(path)
    problems: list[Problem] = []
    by_circuit: dict[str, list[UtilisationSample]] = {}
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError([Problem(str(path), None, None, f"cannot read: {exc.strerror}")]) from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError([Problem(str(path), 1, None, f"missing column(s) {', '.join(missing)}; "
                                                          f"expected {','.join(COLUMNS)}")])
        for row in reader:
            line = reader.line_num
            sample = _parse_row(row, f"{path}:{line}", problems, str(path), line)
            if sample is not None:
                by_circuit.setdefault(sample.circuit, []).append(sample)
    if problems:
        raise InputError(problems)
    return {c: tuple(sorted(s, key=lambda x: x.at)) for c, s in sorted(by_circuit.items())}


def _parse_row(row: Mapping[str, str | None], source: str, problems: list[Problem], file: str,
               line: int) -> UtilisationSample | None:
    """One CSV row as a sample, or None after recording what is wrong with it."""
    before = len(problems)
    circuit = (row.get("circuit") or "").strip()
    if not circuit:
        problems.append(Problem(file, line, "circuit", "empty circuit id"))
    try:
        at = dt.datetime.fromisoformat((row.get("time") or "").strip())
    except ValueError:
        problems.append(Problem(file, line, "time", f"not an ISO date-time: {row.get('time')!r}"))
        at = dt.datetime.min
    rates = []
    for column in ("in_mbps", "out_mbps"):
        text = (row.get(column) or "").strip()
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            problems.append(Problem(file, line, column, f"not a rate >= 0 in Mbit/s: {text!r}"))
        rates.append(value)
    if len(problems) > before:
        return None
    return UtilisationSample(circuit, at, rates[0], rates[1], source)
