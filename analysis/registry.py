"""The check registry: each check a small unit with a stable code (like ruff rules).

Register with :func:`check`; a code is never reused, and registering a different
function under a taken code raises. ``select``/``ignore`` take codes or families
(``LIN001``, ``lines``); an unknown one raises :class:`CheckSelectionError`.

:data:`CHECKS` is a :class:`core.registry.Register`: the bundled checks are the modules of
``analysis.checks`` (imported by name on the first lookup, never statically: they import
this module), and a city adds its own from an installed package through the entry-point
group ``netcensus.checks`` (docs/checks.md "Adding a check").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analysis.catalogue import finding_params, finding_text
from analysis.findings import FAMILIES, Evidence, Finding, Severity
from core.errors import CheckSelectionError
from core.registry import Register, qualified_name

if TYPE_CHECKING:
    from analysis.context import AuditContext

CheckFunc = Callable[["AuditContext"], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A registered check: its code, family, default severity, and function.

    ``costly`` marks a check that solves an optimisation (the room plan): when checks are
    shared between processes, the costly ones start first so that they do not finish last.
    """

    code: str
    family: str
    severity: Severity
    name: str
    summary: str
    func: CheckFunc
    costly: bool = False

    def finding(
        self,
        subjects: Sequence[str],
        evidence: Iterable[Evidence] = (),
        saving_cny_per_year: float | None = None,
        severity: Severity | None = None,
        *,
        title: str | None = None,
        recommendation: str | None = None,
        **args: Any,
    ) -> Finding:
        """A finding of this check; ``args`` are the message parameters.

        Its title and recommendation are the finding catalogue's English
        (``analysis/messages/findings.yaml``) filled from ``args``: a missing
        parameter raises :class:`analysis.catalogue.MissingParameter` naming it.
        Only a check whose code the catalogue does not hold (a city's own, added by
        entry point) passes its own English ``title`` and ``recommendation``; its
        Chinese reports show them too.
        """
        saving = None if saving_cny_per_year is None else round(float(saving_cny_per_year), 2)
        params = finding_params(subjects, saving, args)
        return Finding(
            code=self.code,
            family=self.family,
            severity=self.severity if severity is None else severity,
            subjects=tuple(subjects),
            title=title if title is not None else finding_text(self.code, "title", "en", params),
            recommendation=recommendation if recommendation is not None
            else finding_text(self.code, "recommendation", "en", params),
            evidence=tuple(evidence),
            saving_cny_per_year=saving,
            args=args,
        )


def _check_of(obj: object) -> CheckSpec:
    """The check an entry point names: a function registered by :func:`check`."""
    for registered in CHECKS.available.values():
        if registered.func is obj:
            return registered
    raise TypeError(f"{qualified_name(obj)} is not a check: decorate it with "
                    "@analysis.registry.check(code, family, severity, name)")


CHECKS: Register[CheckSpec] = Register(
    "check", "netcensus.checks", "analysis.checks",
    identity=lambda s: qualified_name(s.func), from_entry_point=_check_of)


def check(code: str, family: str, severity: Severity, name: str, *,
          costly: bool = False) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function under a stable code.

    The function's docstring's first line is its summary (shown by ``netcensus checks``).
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r} for {code}")

    def register(func: CheckFunc) -> CheckFunc:
        summary = (func.__doc__ or name).strip().splitlines()[0]
        CHECKS.register(code, CheckSpec(code, family, severity, name, summary, func, costly))
        return func

    return register


def spec(code: str) -> CheckSpec:
    """The registered check of a code; :class:`core.registry.UnknownPluginError` if none."""
    return CHECKS.get(code)


def load_builtin_checks() -> None:
    """Register every check: the bundled ones, then those of installed packages (entry points).

    Raises :class:`core.registry.PluginLoadError` naming the entry point of a city's check
    that fails to import or whose code is taken.
    """
    CHECKS.load()


def selected_checks(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[CheckSpec]:
    """The checks to run, by code or family; all of them when ``select`` is empty."""
    load_builtin_checks()
    select, ignore = list(select), list(ignore)
    for token in select + ignore:
        if token not in CHECKS.available and token not in FAMILIES:
            known = ", ".join(sorted(CHECKS.available))
            families = ", ".join(FAMILIES)
            raise CheckSelectionError(f"unknown check or family {token!r} (known: {known}; families: {families})")

    def matches(s: CheckSpec, tokens: list[str]) -> bool:
        return s.code in tokens or s.family in tokens

    chosen = [s for s in CHECKS.available.values() if not select or matches(s, select)]
    return sorted((s for s in chosen if not matches(s, ignore)), key=lambda s: s.code)


def run_checks(ctx: AuditContext, checks: Iterable[CheckSpec] | None = None) -> list[Finding]:
    """Run checks over one audit context; findings come back sorted, duplicates dropped."""
    specs = list(checks) if checks is not None else selected_checks()
    return merge_findings(s.func(ctx) for s in specs)


def merge_findings(per_check: Iterable[Iterable[Finding]]) -> list[Finding]:
    """The findings of several checks (in check order) as one sorted list, first of each key kept."""
    seen: dict[str, Finding] = {}
    for findings in per_check:
        for f in findings:
            seen.setdefault(f.key, f)
    return sorted(seen.values(), key=Finding.sort_key)
