"""The ``netcensus`` command line.

Exit codes: 0 done; 1 a finding at or above ``--fail-on``; 2 bad input or usage.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from netcensus import __version__
from netcensus.errors import InputError, NetcensusError

app = typer.Typer(
    name="netcensus",
    help="Citywide network and leased-line integration inventory auditor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_OUT = Path("netcensus-out")


def _fail(problem: str | Exception) -> typer.Exit:
    """Print a bad-input error (every problem of an InputError) and return exit 2."""
    if isinstance(problem, InputError):
        for p in problem.problems:
            err.print(f"[red]error[/red] {p}", markup=True, soft_wrap=True)
        err.print(f"{len(problem.problems)} problem(s) found.")
    else:
        err.print(f"[red]error[/red] {problem}", soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def _version(value: bool) -> None:
    if value:
        print(f"netcensus {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Survey department networks and leased lines; find what to consolidate."""


@app.command()
def validate(
    inventory: Annotated[Path, typer.Argument(help="Inventory directory (or one YAML file).")],
) -> None:
    """Check an inventory and list every problem with file:line; exit 2 if any."""
    from inventory.loader import load_inventory

    try:
        inv = load_inventory(inventory)
    except InputError as e:
        raise _fail(e) from None
    counts = ", ".join(f"{len(getattr(inv, s))} {s}" for s in
                       ("departments", "sites", "rooms", "networks", "devices", "circuits", "websites", "approvals"))
    print(f"{inventory}: valid ({counts})")


@app.command()
def sample(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the sample city into.")],
    devices: Annotated[int, typer.Option(min=10, help="Number of devices.")] = 80,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same city).")] = 1,
) -> None:
    """Write a fictional sample city: inventory YAML, device captures, planted.json."""
    from netcensus.sample import generate

    city = generate(out_dir, devices=devices, seed=seed)
    print(f"inventory: {city.inventory_dir}\ncaptures:  {city.captures_dir}\nplanted:   {city.planted_path}")


@app.command("checks")
def list_checks() -> None:
    """List every check: code, family, severity and what it finds."""
    from rich.table import Table

    from analysis.registry import selected_checks

    table = Table("code", "family", "severity", "finds")
    for s in selected_checks():
        table.add_row(s.code, s.family, str(s.severity), s.summary)
    Console().print(table)


@app.command()
def audit(
    inventory: Annotated[Optional[Path], typer.Argument(
        help="Inventory directory. Omitted: audit the bundled sample city.")] = None,
    captures: Annotated[Optional[Path], typer.Option(help="Capture directory (saved outputs).")] = None,
    out: Annotated[Path, typer.Option(help="Output folder for the reports.")] = DEFAULT_OUT,
    format: Annotated[str, typer.Option(
        "--format", help="What to print on stdout: terminal or json.")] = "terminal",
    fail_on: Annotated[Optional[str], typer.Option(
        help="Exit 1 if an open finding is at or above this severity (info/low/medium/high/critical).")] = None,
    lang: Annotated[str, typer.Option(help="Report language: en or zh.")] = "en",
    select: Annotated[Optional[list[str]], typer.Option(help="Run only these check codes or families.")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(help="Skip these check codes or families.")] = None,
    today: Annotated[Optional[str], typer.Option(help="Audit date YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Run the whole pipeline and write the reports into --out."""
    from analysis.findings import Severity
    from netcensus.pipeline import audit as run_audit

    if format not in ("terminal", "json"):
        raise _fail(f"--format must be terminal or json, not {format!r}")
    if lang not in ("en", "zh"):
        raise _fail(f"--lang must be en or zh, not {lang!r}")
    try:
        threshold = Severity.parse(fail_on) if fail_on else None
        audit_day = dt.date.fromisoformat(today) if today else None
    except ValueError as e:
        raise _fail(e) from None

    if inventory is None:
        inventory, captures, audit_day = _bundled_sample(out, audit_day)
    try:
        result = run_audit(inventory, captures, select=select or (), ignore=ignore or (), today=audit_day)
    except (InputError, NetcensusError) as e:
        raise _fail(e) from None

    written = _write_reports(result, out, lang)
    if format == "json":
        from reports.json_report import report_dict

        json.dump(report_dict(result), sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        err.print(f"reports written to {out}/")
    else:
        from reports.registry import RenderOptions, render

        render("terminal", result, out, RenderOptions(lang=lang, console=Console()))
        print(f"\nReports written to {out.resolve()}/")
        for path in written:
            print(f"  {path}")
    if threshold is not None and any(
        f.status == "open" and f.severity >= threshold for f in result.findings
    ):
        raise typer.Exit(EXIT_FINDINGS)


def _bundled_sample(out: Path, audit_day: dt.date | None) -> tuple[Path, Path, dt.date | None]:
    """Generate the bundled sample city into ``out/sample-city`` and say so."""
    from netcensus.sample import generate

    city = generate(out / "sample-city")
    planted = json.loads(Path(city.planted_path).read_text(encoding="utf-8"))
    if audit_day is None and planted.get("today"):
        audit_day = dt.date.fromisoformat(planted["today"])  # the sample's contract dates are relative to it
    err.print(f"Auditing the bundled sample city (generated in {city.root})")
    return Path(city.inventory_dir), Path(city.captures_dir), audit_day


def _write_reports(result, out: Path, lang: str) -> list[Path]:  # noqa: ANN001
    """Write every registered file report into ``out``."""
    from reports.registry import RENDERERS, RenderOptions, load_builtin_renderers, render

    load_builtin_renderers()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in sorted(RENDERERS):
        if name != "terminal":  # the terminal summary prints; every other renderer writes files
            written += render(name, result, out, RenderOptions(lang=lang))
    return written


if __name__ == "__main__":  # pragma: no cover
    app()
