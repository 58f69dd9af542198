"""The collector contract: raw text in, per device, nothing parsed yet.

A collector fetches the outputs of a platform's commands for one device and
returns them as :class:`RawOutputs`. Failures are data (``status`` and
``error``), never exceptions, so one device never stops a survey. Parsing is a
separate pure step (:func:`collectors.parse.parse_outputs`), shared by every
collector, so live and offline audits read text the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from collectors.facts import CollectionStatus, CommandProblem
from inventory.model import Device


@dataclass(frozen=True, slots=True)
class RawOutputs:
    """The raw outputs of one device's survey, keyed by command as typed."""

    device: str
    platform: str
    outputs: dict[str, str] = field(default_factory=dict)
    status: CollectionStatus = "ok"
    error: str | None = None
    problems: tuple[CommandProblem, ...] = ()
    elapsed_s: float = 0.0
    #: command -> the codec its saved output was decoded with, when not UTF-8 (``gb18030``)
    encodings: dict[str, str] = field(default_factory=dict)


class Collector(Protocol):
    """Anything that can fetch a device's raw outputs."""

    def collect(self, device: Device) -> RawOutputs:
        """Fetch every command of the device's platform; never raise for one device."""
        ...
