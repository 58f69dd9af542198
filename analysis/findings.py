"""Findings: what a check reports, frozen and deterministically ordered.

A finding's ``key`` (code + subjects) is stable across runs, so history can say
"new" and "resolved", and waivers can name it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    """How urgent a finding is; compare with ``>=`` for ``--fail-on``."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        """``"high"`` -> ``Severity.HIGH``; raises ValueError naming the choices."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            choices = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r} (choose from {choices})") from None

    def __str__(self) -> str:
        return self.name.lower()


FAMILIES = ("inventory", "lines", "rooms", "addressing", "connectivity", "governance")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One fact or inventory entry that proves a finding.

    ``source`` says where it comes from: ``circuits.yaml:12`` for an inventory
    entry, ``captures/core1/show_lldp_neighbors_detail.txt`` for an observation.
    """

    source: str
    detail: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem or opportunity found by a check.

    ``title`` and ``recommendation`` are English, worded by the finding catalogue
    (:mod:`analysis.catalogue`) from the code and ``args`` when the check made it
    (:meth:`analysis.registry.CheckSpec.finding`); reports word them in other
    languages from the same entry and args.
    """

    code: str
    family: str
    severity: Severity
    subjects: tuple[str, ...]
    title: str
    recommendation: str
    evidence: tuple[Evidence, ...] = ()
    saving_cny_per_year: float | None = None
    #: Message parameters: the catalogue words the title and recommendation from them.
    args: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    status: str = "open"  # "open", "waived", "unknown" (set by the pipeline, not by checks)

    @property
    def key(self) -> str:
        """Stable identity: ``CODE:subject1|subject2``."""
        return f"{self.code}:{'|'.join(self.subjects)}"

    def sort_key(self) -> tuple[int, str, tuple[str, ...]]:
        """Most severe first, then by code and subjects."""
        return (-int(self.severity), self.code, self.subjects)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape documented in docs/report-json.md."""
        return {
            "code": self.code,
            "family": self.family,
            "severity": str(self.severity),
            "key": self.key,
            "subjects": list(self.subjects),
            "title": self.title,
            "evidence": [{"source": e.source, "detail": e.detail} for e in self.evidence],
            "recommendation": self.recommendation,
            "saving_cny_per_year": self.saving_cny_per_year,
            "status": self.status,
            "args": dict(self.args),
        }
