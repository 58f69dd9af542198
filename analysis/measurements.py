"""Utilisation samples of leased lines: the input of LIN004 and of LIN003's demand.

A sample is the traffic a line carried over one interval, in each direction, as
an NMS exports it, as a collector derives it from interface counters of two
runs (bytes delta * 8 / seconds), or as the device itself averaged it over the
last minutes (:func:`samples_from_facts`). The CSV form, one sample a line::

    circuit,time,in_mbps,out_mbps
    CT-0001,2026-05-01T10:00,3.2,7.9

Bad rows are reported all at once with file, line and field
(:class:`core.errors.InputError`).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from collectors.normalise import interface_name
from core.errors import InputError, Problem

if TYPE_CHECKING:
    from collectors.facts import DeviceFacts, Interface
    from inventory.model import CircuitEnd, Inventory

__all__ = ["COLUMNS", "UtilisationSample", "load_utilisation_csv", "peak_mbps", "percentile",
           "samples_from_facts"]

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
    if at.tzinfo is None:  # an NMS export without an offset is in the collector's local time
        at = at.astimezone()
    return UtilisationSample(circuit, at, rates[0], rates[1], source)


# --- samples from the devices' own averaged rates -------------------------------------------


def samples_from_facts(inventory: Inventory, facts: Mapping[str, DeviceFacts],
                       when: dt.datetime) -> dict[str, UtilisationSample]:
    """One sample per circuit, at ``when``, from the rates its end interface reported.

    The rates are the device's own averages (``Interface.in_bps``/``out_bps``: IOS
    "5 minute input rate", VRP and Comware "Last 300 seconds", ...), so one run gives one
    short-interval sample per line; LIN004 decides nothing before
    ``policy.lines.underuse_min_samples`` of them have been recorded.

    Which end: the A end, else the Z end. Both ends see the same traffic, so one end is
    enough, and reading the same end every run keeps a line's series consistent; the Z
    end stands in when the A end gives nothing: no device or interface declared, the
    device not collected in this run, the interface not among its facts, or no rate in
    either direction on it (a sample needs both: a missing direction could hide the busy
    one). Read at the Z end, the directions are turned round (what Z sends is what
    reaches A), so ``in_mbps`` is always the traffic arriving at the A end. A line with
    neither end readable gets no sample. Interface names are compared normalised
    (:func:`collectors.normalise.interface_name`), the inventory's as the facts'.

    ``source`` is ``"<device> <interface> (<A|Z> end):<when>"``: LIN004 groups the
    evidence of a line's samples by what precedes the last colon, as for ``file:line``.

    >>> import datetime as dt
    >>> from collectors.facts import DeviceFacts, Interface
    >>> from inventory.model import Circuit, CircuitEnd, Inventory
    >>> line = Circuit(id="CT-1", carrier="CT", kind="mstp", department="it", bandwidth_mbps=100,
    ...                cost_cny=1000, a=CircuitEnd(site="s1", device="r1", interface="Gi0/1"),
    ...                z=CircuitEnd(site="s2", device="r2", interface="Gi0/2"))
    >>> seen = {"r2": DeviceFacts("r2", "huawei", interfaces=(
    ...     Interface("GigabitEthernet0/2", in_bps=2_000_000, out_bps=7_500_000),))}
    >>> sample = samples_from_facts(Inventory(circuits={"CT-1": line}), seen, dt.datetime(2026, 5, 1, 2, 0))
    >>> sample["CT-1"].in_mbps, sample["CT-1"].out_mbps, sample["CT-1"].source
    (7.5, 2.0, 'r2 GigabitEthernet0/2 (Z end):20260501T020000')
    """
    ports: dict[str, dict[str, Interface]] = {}  # device -> normalised name -> interface
    samples: dict[str, UtilisationSample] = {}
    for cid in sorted(inventory.circuits):
        circuit = inventory.circuits[cid]
        for label, end in (("A", circuit.a), ("Z", circuit.z)):
            itf = _measured_port(end, facts, ports)
            if itf is None or itf.in_bps is None or itf.out_bps is None:
                continue
            received, sent = itf.in_bps / 1_000_000, itf.out_bps / 1_000_000
            in_mbps, out_mbps = (received, sent) if label == "A" else (sent, received)
            samples[cid] = UtilisationSample(cid, when, in_mbps, out_mbps,
                                             source=f"{end.device} {itf.name} ({label} end):{when:%Y%m%dT%H%M%S}")
            break
    return samples


def _measured_port(end: CircuitEnd, facts: Mapping[str, DeviceFacts],
                   ports: dict[str, dict[str, Interface]]) -> Interface | None:
    """The collected interface of a circuit end, or None when its device or port is unknown."""
    if not end.device or not end.interface or end.device not in facts:
        return None
    if end.device not in ports:
        ports[end.device] = {interface_name(i.name): i for i in facts[end.device].interfaces}
    return ports[end.device].get(interface_name(end.interface))
