"""The ``netcensus`` command line.

Exit codes: 0 done; 1 a finding at or above ``--fail-on``; 2 bad input or usage.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from typer import _click as click
from typer.core import TyperGroup

from core.errors import InputError, NetcensusError
from core.version import __version__
from netcensus.cli_exchange import register as _register_exchange
from netcensus.cli_output import EXIT_FINDINGS, EXIT_OK, err, logger
from netcensus.cli_output import fail as _fail
from netcensus.distributed.cli import register as _register_distributed

if TYPE_CHECKING:  # imported by the commands that need them: the CLI starts without them
    from inventory.model import Inventory
    from netcensus.collect import CollectionRun


class _Group(TyperGroup):
    """The command group; on/off flags show no ``<bool>`` value in any help text."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _flags_without_value(command, ctx)
        return command

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _flags_without_value(self, ctx)
        super().format_help(ctx, formatter)


def _flags_without_value(command: click.Command, ctx: click.Context) -> None:
    """A flag takes no value: blank the type column typer would fill with ``<bool>``."""
    for param in [*command.params, command.get_help_option(ctx)]:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():  # `export nornir`, `import ansible`...
        _flags_without_value(sub, ctx)


app = typer.Typer(
    cls=_Group,
    name="netcensus",
    help="Citywide network and leased-line integration inventory auditor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
DEFAULT_OUT = Path("netcensus-out")


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

    try:
        city = generate(out_dir, devices=devices, seed=seed)
    except ValueError as e:  # e.g. too few devices to hold every planted case
        raise _fail(e) from None
    print(f"inventory: {city.inventory_dir}\ncaptures:  {city.captures_dir}\nplanted:   {city.planted_path}")


@app.command("checks")
def list_checks() -> None:
    """List every check: code, family, severity and what it finds."""
    from rich.table import Table

    from analysis.registry import selected_checks

    table = Table("code", "family", "severity", "finds")
    try:
        checks = selected_checks()
    except NetcensusError as e:  # a city's check plugin that fails to load (core.registry)
        raise _fail(e) from None
    for s in checks:
        table.add_row(s.code, s.family, str(s.severity), s.summary)
    Console().print(table)


# The live-collection options, one set shared by `collect` and `audit --collect`.
Workers = Annotated[int, typer.Option("--workers", min=1, help="Devices collected at once.")]
AcceptNewHostKeys = Annotated[bool, typer.Option(
    "--accept-new-host-keys",
    help="Trust unknown host keys on first use and record them (a changed key is still refused).")]
NoHostKeyCheck = Annotated[bool, typer.Option("--no-host-key-check", help="Do not check SSH host keys at all.")]
KnownHosts = Annotated[Path | None, typer.Option(
    "--known-hosts", help="known_hosts file (default ~/.ssh/known_hosts).")]
CredentialsFile = Annotated[Path | None, typer.Option(
    "--credentials-file", help="Credentials file outside the repository, mode 0600.")]
ConnectTimeout = Annotated[float, typer.Option("--connect-timeout", min=0.1, help="Seconds to connect.")]
CommandTimeout = Annotated[float, typer.Option("--command-timeout", min=0.1,
                                               help="Seconds for one command's output.")]
TransportOption = Annotated[str | None, typer.Option(
    "--transport", metavar="netmiko|napalm|asyncssh",
    help="Collect every device through this transport (default: each device's own 'transport').")]
MaxFailed = Annotated[str | None, typer.Option(
    "--max-failed", metavar="N|N%",
    help="Exit 3 (degraded) when more devices than this (a count or a percentage) could not be collected.")]


@app.command()
def collect(
    inventory: Annotated[Path, typer.Argument(help="Inventory directory.")],
    out: Annotated[Path, typer.Option("--out", help="Capture directory to write.")],
    workers: Workers = 20,
    department: Annotated[list[str] | None, typer.Option(help="Only these departments.")] = None,
    site: Annotated[list[str] | None, typer.Option(help="Only these sites.")] = None,
    role: Annotated[list[str] | None, typer.Option(help="Only these roles.")] = None,
    platform: Annotated[list[str] | None, typer.Option(help="Only these platforms.")] = None,
    device: Annotated[list[str] | None, typer.Option(help="Only these devices (names or globs).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip devices already collected in OUT.")] = False,
    accept_new_host_keys: AcceptNewHostKeys = False,
    no_host_key_check: NoHostKeyCheck = False,
    known_hosts: KnownHosts = None,
    credentials_file: CredentialsFile = None,
    connect_timeout: ConnectTimeout = 10.0,
    command_timeout: CommandTimeout = 60.0,
    transport: TransportOption = None,
    max_failed: MaxFailed = "0",
) -> None:
    """Collect raw outputs from the inventory's devices over SSH into a capture directory.

    Exit codes: 0 collected (no more than --max-failed devices failed); 2 bad input or
    usage; 3 degraded (more than --max-failed devices could not be collected, default 0);
    130 interrupted.
    """
    from inventory.loader import load_inventory
    from netcensus.job import EXIT_DEGRADED, parse_max_failed

    try:
        run = _collect(load_inventory(inventory), out, workers=workers, department=department, site=site,
                       role=role, platform=platform, device=device, resume=resume,
                       accept_new_host_keys=accept_new_host_keys, no_host_key_check=no_host_key_check,
                       known_hosts=known_hosts, credentials_file=credentials_file,
                       connect_timeout=connect_timeout, command_timeout=command_timeout,
                       transport=transport)
        # The run's own devices, not those a --resume kept from before (they completed).
        attempted = {n: r for n, r in run.manifest.devices.items() if not r.from_previous_run}
        limit = parse_max_failed(max_failed, len(attempted))
    except (InputError, NetcensusError) as e:
        raise _fail(e) from None
    failed = sorted(n for n in run.failed if n in attempted)
    print(f"captures written to {out} ({len(run.manifest.devices)} devices, {len(failed)} failed)")
    if run.interrupted:
        raise typer.Exit(130)
    if limit is not None and len(failed) > limit:
        reasons = ", ".join(f"{n} ({run.manifest.devices[n].status})" for n in failed[:10])
        err.print(f"collection degraded: {len(failed)} device(s) not collected, more than --max-failed "
                  f"{max_failed}: {reasons}{' ...' if len(failed) > 10 else ''}", markup=False,
                  highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_DEGRADED)


def _collect(inventory: Inventory, out: Path, *, workers: int = 20, department: list[str] | None = None,
             site: list[str] | None = None, role: list[str] | None = None, platform: list[str] | None = None,
             device: list[str] | None = None, resume: bool = False, accept_new_host_keys: bool = False,
             no_host_key_check: bool = False, known_hosts: Path | None = None,
             credentials_file: Path | None = None, connect_timeout: float = 10.0,
             command_timeout: float = 60.0, transport: str | None = None) -> CollectionRun:
    """Build the collection options from CLI values and run it."""
    from typing import get_args

    from inventory.model import Transport
    from netcensus.collect import CollectOptions, DeviceFilter
    from netcensus.collect import collect as run_collect

    if accept_new_host_keys and no_host_key_check:
        raise NetcensusError("--accept-new-host-keys and --no-host-key-check exclude each other")
    mode = "off" if no_host_key_check else "accept_new" if accept_new_host_keys else "strict"
    known = get_args(Transport)  # the inventory's own list: one place to add a transport
    if transport is not None and transport not in known:
        raise NetcensusError(f"--transport must be {', '.join(known[:-1])} or {known[-1]}, not {transport!r}")
    options = CollectOptions(
        transport=transport,  # type: ignore[arg-type]
        workers=workers, resume=resume, host_keys=mode, credentials_file=credentials_file,
        filters=DeviceFilter(departments=tuple(department or ()), sites=tuple(site or ()),
                             roles=tuple(role or ()), platforms=tuple(platform or ()),
                             devices=tuple(device or ())),
        connect_timeout_s=connect_timeout, command_timeout_s=command_timeout,
        **({"known_hosts": known_hosts} if known_hosts else {}))
    return run_collect(inventory, out, options, console=err)


@app.command()
def audit(
    inventory: Annotated[Path | None, typer.Argument(
        help="Inventory directory. Omitted: audit the bundled sample city.")] = None,
    captures: Annotated[Path | None, typer.Option(help=(
        "Capture directory: saved outputs (one sub-folder per device) or a configuration backup "
        "folder (Oxidized, RANCID: one file per device)."))] = None,
    inventory_only: Annotated[bool, typer.Option("--inventory-only", help=(
        "Audit the inventory's declarations alone, without --captures (every device reads as not "
        "collected)."))] = False,
    out: Annotated[Path, typer.Option(help="Output folder for the reports.")] = DEFAULT_OUT,
    collect_first: Annotated[bool, typer.Option("--collect", help=(
        "Collect live over SSH into --captures first (strict host keys; see `netcensus collect`)."))] = False,
    accept_new_host_keys: AcceptNewHostKeys = False,
    no_host_key_check: NoHostKeyCheck = False,
    known_hosts: KnownHosts = None,
    credentials_file: CredentialsFile = None,
    connect_timeout: ConnectTimeout = 10.0,
    command_timeout: CommandTimeout = 60.0,
    workers: Workers = 20,
    transport: TransportOption = None,
    format: Annotated[str, typer.Option(
        "--format", metavar="terminal|json", help="What to print on stdout.")] = "terminal",
    fail_on: Annotated[str | None, typer.Option(
        metavar="info|low|medium|high|critical",
        help="Exit 1 if an open finding (a new one, with --baseline) is at or above this severity.")] = None,
    lang: Annotated[str, typer.Option(metavar="en|zh", help="Report language.")] = "en",
    select: Annotated[list[str] | None, typer.Option(
        metavar="CODE[,CODE...]",
        help="Run only these check codes or families (comma-separated or repeated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        metavar="CODE[,CODE...]", help="Skip these check codes or families (comma-separated or repeated).")] = None,
    today: Annotated[str | None, typer.Option(help="Audit date YYYY-MM-DD (default: today).")] = None,
    store: Annotated[str | None, typer.Option(help=(
        "History store: a SQLite file (default OUT/history.sqlite), or postgresql://user@host/db "
        "(no password here: 'postgresql' alone reads the DSN from $NETCENSUS_STORE_DSN or the 0600 "
        "file named by $NETCENSUS_STORE_DSN_FILE)."))] = None,
    archives: Annotated[Path | None, typer.Option(
        help="Capture archive folder of a PostgreSQL store (default OUT/history.runs).")] = None,
    baseline: Annotated[str | None, typer.Option(
        help="Diff against this run: 'last', 'previous' or a run id.")] = None,
    keep_runs: Annotated[int, typer.Option(min=1, help="Runs kept in the history store.")] = 30,
    max_failed: MaxFailed = None,
    stale_after: Annotated[int, typer.Option(min=1, help="Runs without collection before a device is stale.")] = 3,
    cache: Annotated[Path | None, typer.Option(
        help="Cache folder: parsed facts and the validated inventory (default OUT/.facts-cache).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Re-parse every capture.")] = False,
    utilisation: Annotated[Path | None, typer.Option(
        help="Line utilisation CSV from the NMS (circuit,time,in_mbps,out_mbps) for LIN003/LIN004.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print only problems (for cron).")] = False,
    on_new_findings: Annotated[str | None, typer.Option(
        help="Command to run with the JSON report's path when there are new findings.")] = None,
) -> None:
    """Run the whole pipeline, record the run in the history store, write the reports."""
    from analysis.findings import Severity
    from netcensus.job import AuditJob, run_job

    if format not in ("terminal", "json"):
        raise _fail(f"--format must be terminal or json, not {format!r}")
    if lang not in ("en", "zh"):
        raise _fail(f"--lang must be en or zh, not {lang!r}")
    try:
        threshold = Severity.parse(fail_on) if fail_on else None
        audit_day = dt.date.fromisoformat(today) if today else None
    except ValueError as e:
        raise _fail(e) from None
    select, ignore = _comma_list(select), _comma_list(ignore)
    log = logger()
    if inventory is None:
        if collect_first:
            raise _fail("--collect needs an INVENTORY_DIR (the sample city has no live devices)")
        inventory, captures, audit_day = _bundled_sample(out, audit_day, log)
    elif collect_first:
        from inventory.loader import load_inventory

        if captures is None:
            raise _fail("--collect needs --captures DIR: where the raw outputs are written")
        try:
            run = _collect(load_inventory(inventory), captures, workers=workers,
                           accept_new_host_keys=accept_new_host_keys, no_host_key_check=no_host_key_check,
                           known_hosts=known_hosts, credentials_file=credentials_file,
                           connect_timeout=connect_timeout, command_timeout=command_timeout,
                           transport=transport)
        except (InputError, NetcensusError) as e:
            raise _fail(e) from None
        if run.interrupted:
            log("collection interrupted: auditing what was collected")
    _check_captures_option(inventory, captures, inventory_only, select or (), ignore or ())
    job = AuditJob(inventory=inventory, captures=captures, out=out, lang=lang, select=select or (),
                   ignore=ignore or (), today=audit_day, store=_store_spec(store), archives=archives,
                   baseline=baseline,
                   keep_runs=keep_runs, max_failed=max_failed, fail_on=threshold,
                   on_new_findings=on_new_findings, stale_after_runs=stale_after,
                   cache=cache, use_cache=not no_cache, utilisation=utilisation)
    try:
        outcome = run_job(job, log)
    except (InputError, NetcensusError) as e:
        raise _fail(e) from None

    if format == "json":
        from reports.json_report import dumps, report_dict

        sys.stdout.write(dumps(report_dict(outcome.result)))  # the same text as netcensus-report.json
    elif not quiet:
        from reports.registry import RenderOptions, render

        render("terminal", outcome.result, out, RenderOptions(lang=lang, console=Console()))
        print(f"\nRun {outcome.run_id} recorded in {job.store_label}")
        print(f"Reports written to {out.resolve()}/")
        for path in outcome.written:
            print(f"  {path}")
    if outcome.diff is not None and (not quiet or outcome.diff.new):
        d = outcome.diff
        log(f"against run {d.base_run}: {len(d.new)} new, {len(d.resolved)} resolved, "
            f"{len(d.unchanged)} unchanged, {len(d.unknown)} unknown; "
            f"{len(d.config_changes)} config change(s), drift in {', '.join(d.drift) or 'nothing'}")
    if outcome.degraded:
        log(f"collection degraded: {len(outcome.failed)} device(s) not collected "
            f"({', '.join(outcome.failed[:10])}{' ...' if len(outcome.failed) > 10 else ''})")
    raise typer.Exit(outcome.exit_code)


@app.command()
def history(
    store: Annotated[str, typer.Option(help="History store: a SQLite file or postgresql://... (see audit --store).")
                     ] = str(DEFAULT_OUT / "history.sqlite"),
) -> None:
    """List the recorded runs."""
    from rich.table import Table

    from netcensus.stores import open_store

    spec = _store_spec(store)
    if isinstance(spec, Path) and not spec.exists():
        raise _fail(f"no history store at {store}")
    try:
        db = open_store(spec)
        try:
            runs = db.runs()
        finally:
            db.close()
    except NetcensusError as e:
        raise _fail(e) from None
    table = Table("run", "started", "devices", "failed", "degraded", "open findings", "inventory")
    for r in runs:
        table.add_row(str(r.id), r.started, str(r.devices), str(r.failed), "yes" if r.degraded else "",
                      str(r.findings), r.inventory)
    Console().print(table)


@app.command()
def diff(
    run_a: Annotated[str, typer.Argument(help="Baseline run: id, 'previous' or 'last'.")],
    run_b: Annotated[str, typer.Argument(help="Compared run: id, 'previous' or 'last'.")],
    store: Annotated[str, typer.Option(help="History store: a SQLite file or postgresql://... (see audit --store).")
                     ] = str(DEFAULT_OUT / "history.sqlite"),
    format: Annotated[str, typer.Option(
        "--format", metavar="terminal|json", help="What to print on stdout.")] = "terminal",
) -> None:
    """Show what changed between two recorded runs."""
    from netcensus.history import diff_runs
    from netcensus.stores import open_store

    spec = _store_spec(store)
    if isinstance(spec, Path) and not spec.exists():
        raise _fail(f"no history store at {store}")
    try:
        db = open_store(spec)
        try:
            a, b = db.run(db.resolve(run_a)), db.run(db.resolve(run_b))
        finally:
            db.close()
    except NetcensusError as e:
        raise _fail(e) from None
    d = diff_runs(a, b)
    if format == "json":
        json.dump(d.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    console = Console()
    for label, items in (("new", d.new), ("resolved", d.resolved), ("unknown", d.unknown)):
        console.print(f"[bold]{label}[/bold]: {len(items)}")
        for f in items:
            console.print(f"  {f['severity']:>8}  {f['key']}  {f['title']}", markup=False)
    console.print(f"[bold]unchanged[/bold]: {len(d.unchanged)}")
    for kind, change in d.drift.items():
        console.print(f"[bold]drift {kind}[/bold]: +{len(change['added'])} -{len(change['gone'])}")
        for x in change["added"]:
            console.print(f"  + {x}", markup=False)
        for x in change["gone"]:
            console.print(f"  - {x}", markup=False)
    for device, text in d.config_changes.items():
        console.print(f"[bold]config {device}[/bold]")
        console.print(text, markup=False, highlight=False)


@app.command()
def whatif(
    inventory: Annotated[Path, typer.Argument(help="Inventory directory.")],
    captures: Annotated[Path | None, typer.Option(help="Capture directory (saved outputs).")] = None,
    cancel: Annotated[list[str] | None, typer.Option(help="Circuit id to cancel (repeatable).")] = None,
    close: Annotated[list[str] | None, typer.Option(help="Room id to close (repeatable).")] = None,
    format: Annotated[str, typer.Option(
        "--format", metavar="terminal|json", help="What to print on stdout.")] = "terminal",
    today: Annotated[str | None, typer.Option(help="Date YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Test a proposal before making it: which sites lose their backup or are cut off, and the saving.

    Exit 0 when the proposal is safe, 1 when it cuts a site off, leaves a critical site on a
    single path, loses capacity or cannot place a closed room's equipment, 2 on bad input.
    """
    from analysis.whatif import whatif as run_whatif
    from netcensus.pipeline import prepare

    if not cancel and not close:
        raise _fail("give at least one --cancel CIRCUIT or --close ROOM")
    if captures is not None:
        from collectors.capture import CaptureFolderError, check_captures_folder

        try:
            check_captures_folder(captures)
        except CaptureFolderError as e:
            raise _fail(e) from None
    try:
        ctx = prepare(inventory, captures, today=dt.date.fromisoformat(today) if today else None)
        answer = run_whatif(ctx, cancel or [], close or [])
    except (InputError, NetcensusError, ValueError) as e:
        raise _fail(e) from None
    if format == "json":
        json.dump(answer.to_dict(), sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        console = Console(highlight=False)
        verdict = "[green]safe[/green]" if answer.safe else "[red]not safe[/red]"
        cancelled, closed = ", ".join(answer.cancel) or "-", ", ".join(answer.close) or "-"
        console.print(f"Proposal: cancel {cancelled}; close {closed}: {verdict}")
        for c in answer.circuits:
            left = "unlimited (backbone)" if c.remaining_mbps is None else f"{c.remaining_mbps:g} Mbit/s"
            console.print(f"  line {c.circuit} {c.sites[0]}-{c.sites[1]}: {c.bandwidth_mbps:g} Mbit/s, "
                          f"{left} left between its ends", markup=False)
        for problem in answer.problems:
            console.print(f"  [red]![/red] {problem}", soft_wrap=True)
        console.print(f"Yearly saving: CNY {answer.yearly_saving_cny:,.0f} "
                      f"(lines {answer.lines_saving_cny:,.0f}, rooms {answer.rooms_saving_cny:,.0f}); "
                      f"one-off migration CNY {answer.migration_cost_cny:,.0f}")
    raise typer.Exit(EXIT_OK if answer.safe else EXIT_FINDINGS)


def _check_captures_option(inventory: Path, captures: Path | None, inventory_only: bool,
                           select: list[str] | tuple[str, ...], ignore: list[str] | tuple[str, ...]) -> None:
    """Refuse (exit 2) an audit whose evidence cannot be what the user meant: a --captures that
    is no folder, or none at all on a real inventory (every device would read "not collected"
    and the findings would rest on declarations alone) unless --inventory-only says so."""
    from analysis.registry import selected_checks
    from collectors.capture import CaptureFolderError, check_captures_folder

    try:
        selected_checks(select, ignore)  # a mistyped --select first: it is the quicker fix
    except NetcensusError as e:
        raise _fail(e) from None
    if captures is not None:
        if inventory_only:
            raise _fail("--inventory-only and --captures exclude each other")
        try:
            check_captures_folder(captures)
        except CaptureFolderError as e:
            raise _fail(e) from None
    elif not inventory_only:
        raise _fail(f"no --captures given for {inventory}: give --captures DIR (saved outputs, or an "
                    "Oxidized/RANCID configuration backup folder), --collect --captures DIR to collect "
                    "over SSH first, or --inventory-only to audit the declarations alone")


def _store_spec(store: str | None) -> Path | str | None:
    """``--store``: a PostgreSQL URL stays text (a Path would fold its ``//``); else a SQLite file."""
    from netcensus.stores import is_postgresql

    if store is None:
        return None
    return store if is_postgresql(store) else Path(store)


def _comma_list(values: list[str] | None) -> list[str] | None:
    """``--select A,B --select C`` -> ``[A, B, C]``: repeated and comma-separated both work."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]




def _bundled_sample(out: Path, audit_day: dt.date | None,
                    log: Callable[[str], None]) -> tuple[Path, Path, dt.date | None]:
    """Generate the bundled sample city into ``out/sample-city`` and say so."""
    from netcensus.sample import generate

    city = generate(out / "sample-city")
    planted = json.loads(Path(city.planted_path).read_text(encoding="utf-8"))
    if audit_day is None and planted.get("today"):
        audit_day = dt.date.fromisoformat(planted["today"])  # the sample's contract dates are relative to it
    log(f"auditing the bundled sample city (generated in {city.root})")
    return Path(city.inventory_dir), Path(city.captures_dir), audit_day


_register_exchange(app)
_register_distributed(app)

if __name__ == "__main__":  # pragma: no cover
    app()
