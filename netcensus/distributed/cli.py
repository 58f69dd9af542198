"""The ``netcensus worker`` and ``netcensus dispatch`` commands (registered by netcensus.cli)."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from core.errors import InputError, NetcensusError
from netcensus.cli_output import err, logger
from netcensus.cli_output import fail as _fail

RedisOption = Annotated[str | None, typer.Option(
    "--redis", metavar="URL",
    help="Broker URL (default: $NETCENSUS_REDIS_URL, else redis://127.0.0.1:6379/0). Prefer the "
         "environment for a URL with a password: options show in the process list.")]


def worker(
    queue: Annotated[list[str], typer.Option(
        "--queue", metavar="KEY", help="Routing key (district, department...) whose shards to collect; repeatable.")],
    redis: RedisOption = None,
    credentials: Annotated[Path | None, typer.Option(
        "--credentials", "--credentials-file",
        help="Credentials file on this host, mode 0600 (or NETCENSUS_<PROFILE>_* variables).")] = None,
    known_hosts: Annotated[Path | None, typer.Option(
        "--known-hosts", help="known_hosts file of this host (default ~/.ssh/known_hosts).")] = None,
    accept_new_host_keys: Annotated[bool, typer.Option(
        "--accept-new-host-keys", help="Trust unknown host keys on first use and record them.")] = False,
    no_host_key_check: Annotated[bool, typer.Option("--no-host-key-check", help="Do not check SSH host keys.")] = False,
    sessions: Annotated[int, typer.Option("--sessions", min=1, help="Devices collected at once.")] = 20,
    heartbeat: Annotated[int, typer.Option("--heartbeat", min=1, metavar="S",
                                           help="Seconds between heartbeats of a running shard.")] = 30,
    grace: Annotated[int, typer.Option("--grace", min=1, metavar="S", help=(
        "Seconds without heartbeat after which a shard counts as abandoned and is retried elsewhere."))] = 60,
    burst: Annotated[bool, typer.Option("--burst", help="Stop when the queues are empty.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="Worker name (default host.pid).")] = None,
) -> None:
    """Collect the shards of the given queues on this collector host (an RQ worker)."""
    from redis.exceptions import RedisError  # here, not at the top: every other command starts without redis

    from netcensus.distributed.broker import redact_url, redis_url
    from netcensus.distributed.worker import run_worker

    if accept_new_host_keys and no_host_key_check:
        raise _fail("--accept-new-host-keys and --no-host-key-check exclude each other")
    mode = "off" if no_host_key_check else "accept_new" if accept_new_host_keys else "strict"
    url = redis_url(redis)
    err.print(f"worker for {', '.join(queue)} on {redact_url(url)}", markup=False)
    try:
        run_worker(queue, url, credentials_file=credentials, known_hosts=known_hosts, host_keys=mode,
                   sessions=sessions, heartbeat_s=heartbeat, grace_s=grace, burst=burst, name=name)
    except (InputError, NetcensusError) as e:
        raise _fail(e) from None
    except (OSError, RedisError) as e:  # the broker unreachable, after the client's retries
        raise _fail(f"broker {redact_url(url)}: {e.__class__.__name__}") from None


def dispatch(
    inventory: Annotated[Path, typer.Argument(help="Inventory directory.")],
    out: Annotated[Path, typer.Option("--out", help="Capture directory the shards are merged into.")],
    by: Annotated[str, typer.Option("--by", metavar="district|department|site|site-group",
                                    help="Routing key: one queue per value.")] = "district",
    site_groups: Annotated[Path | None, typer.Option(
        "--site-groups", help="YAML {group: [site, ...]} for --by site-group.")] = None,
    redis: RedisOption = None,
    chunk: Annotated[int, typer.Option("--chunk", min=1, help="At most this many devices per job.")] = 2000,
    retries: Annotated[int, typer.Option("--retries", min=0, help=(
        "Times a shard whose worker died (or crashed) is put back on its queue."))] = 2,
    wait: Annotated[float | None, typer.Option("--wait", min=1, metavar="S", help=(
        "Give up on shards without a result after S seconds (their devices: not collected)."))] = None,
    shard_timeout: Annotated[int, typer.Option("--shard-timeout", min=10, metavar="S",
                                               help="A shard running longer is stopped.")] = 4 * 3600,
    connect_timeout: Annotated[float, typer.Option("--connect-timeout", min=0.1, help="Seconds to connect.")] = 10.0,
    command_timeout: Annotated[float, typer.Option("--command-timeout", min=0.1,
                                                   help="Seconds for one command's output.")] = 60.0,
    transport: Annotated[str | None, typer.Option(
        "--transport", metavar="netmiko|napalm|asyncssh", help="Collect every device through this transport.")] = None,
    max_failed: Annotated[str | None, typer.Option(
        "--max-failed", metavar="N|N%",
        help="Exit 3 (degraded) when more devices than this were not collected.")] = None,
    audit: Annotated[bool, typer.Option(
        "--audit", help="Then audit the merged captures (as `netcensus audit --captures`).")] = False,
    reports: Annotated[Path, typer.Option(
        "--reports", help="Output folder of the audit's reports.")] = Path("netcensus-out"),
    store: Annotated[str | None, typer.Option("--store", help=(
        "History store: a SQLite file (default REPORTS/history.sqlite) or postgresql://... "
        "(see audit --store)."))] = None,
    archives: Annotated[Path | None, typer.Option(
        "--archives", help="Capture archive folder of a PostgreSQL store (default REPORTS/history.runs).")] = None,
    baseline: Annotated[str | None, typer.Option(
        "--baseline", help="Diff against this run: 'last', 'previous' or a run id.")] = None,
    keep_runs: Annotated[int, typer.Option("--keep-runs", min=1, help="Runs kept in the history store.")] = 30,
    on_new_findings: Annotated[str | None, typer.Option(
        "--on-new-findings", help="Command to run with the JSON report's path when there are new findings.")] = None,
    lang: Annotated[str, typer.Option("--lang", metavar="en|zh", help="Report language.")] = "en",
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", metavar="info|low|medium|high|critical",
        help="Exit 1 if an open finding is at or above this severity.")] = None,
    today: Annotated[str | None, typer.Option(help="Audit date YYYY-MM-DD (default: today).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print only problems (for timers).")] = False,
) -> None:
    """Split the inventory into shards by --by, collect them on the workers, merge into --out.

    Exit codes: 0 done; 1 a finding at or above --fail-on (with --audit); 2 bad input;
    3 degraded (more than --max-failed devices not collected; default with --audit: the
    audit's own --max-failed rule, without: 0 devices).
    """
    from redis.exceptions import RedisError  # here, not at the top: every other command starts without redis

    from analysis.findings import Severity
    from inventory.loader import load_inventory
    from netcensus.distributed.broker import connect, redact_url, redis_url
    from netcensus.distributed.dispatch import DispatchOptions
    from netcensus.distributed.dispatch import dispatch as run_dispatch
    from netcensus.distributed.shards import read_site_groups
    from netcensus.job import EXIT_DEGRADED, AuditJob, parse_max_failed, run_job
    from netcensus.stores import is_postgresql

    url = redis_url(redis)
    log = logger()
    if lang not in ("en", "zh"):
        raise _fail(f"--lang must be en or zh, not {lang!r}")
    try:
        threshold = Severity.parse(fail_on) if fail_on else None
        audit_day = dt.date.fromisoformat(today) if today else None
    except ValueError as e:
        raise _fail(e) from None
    try:
        inv = load_inventory(inventory)
        groups = read_site_groups(site_groups, inv) if site_groups else None
        collect_options = {"connect_timeout_s": connect_timeout, "command_timeout_s": command_timeout,
                           "transport": transport}
        options = DispatchOptions(by=by, chunk=chunk, site_groups=groups, retries=retries, wait_s=wait,
                                  shard_timeout_s=shard_timeout, collect=collect_options)
        with _terminate_as_interrupt():
            run = run_dispatch(inv, out, options, connect(url), err, redis_label=url)
        attempted = {n: r for n, r in run.manifest.devices.items() if not r.from_previous_run}
        limit = parse_max_failed(max_failed if max_failed is not None or audit else "0", len(attempted))
    except (InputError, NetcensusError) as e:
        raise _fail(e) from None
    except KeyboardInterrupt:
        err.print("dispatch interrupted: the shards still out were cancelled (their devices recorded as not "
                  f"collected); those done are merged into {out}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(130) from None
    except (OSError, RedisError) as e:  # the broker unreachable after the client's retries, a full disk
        raise _fail(f"dispatch to {redact_url(url)}: {e.__class__.__name__}: {redact_url(_first_line(e))}") from None
    failed = sorted(run.failed)
    shards_failed = sorted(n for n, o in run.shards.items() if o.status != "done")
    log(f"captures merged into {out} ({len(attempted)} devices in {len(run.shards)} shard(s), "
        f"{len(failed)} not collected{', failed shards: ' + ', '.join(shards_failed) if shards_failed else ''})")
    degraded = limit is not None and len(failed) > limit
    if not audit:
        if degraded:
            log(f"collection degraded: {len(failed)} device(s) not collected, more than --max-failed "
                f"{max_failed or 0}: {', '.join(failed[:10])}{' ...' if len(failed) > 10 else ''}")
            raise typer.Exit(EXIT_DEGRADED)
        return
    job = AuditJob(inventory=inventory, captures=out, out=reports, lang=lang, today=audit_day,
                   store=store if store is None or is_postgresql(store) else Path(store), archives=archives,
                   baseline=baseline, keep_runs=keep_runs, max_failed=max_failed, fail_on=threshold,
                   on_new_findings=on_new_findings)
    try:
        outcome = run_job(job, log)
    except (InputError, NetcensusError) as e:
        raise _fail(e) from None
    if not quiet:
        log(f"run {outcome.run_id} recorded in {job.store_label}; {len(outcome.result.findings)} finding(s); "
            f"reports in {reports.resolve()}/")
    if outcome.diff is not None and (not quiet or outcome.diff.new):
        d = outcome.diff
        log(f"against run {d.base_run}: {len(d.new)} new, {len(d.resolved)} resolved, {len(d.unchanged)} unchanged")
    if outcome.degraded:
        log(f"collection degraded: {len(outcome.failed)} device(s) not collected "
            f"({', '.join(outcome.failed[:10])}{' ...' if len(outcome.failed) > 10 else ''})")
    raise typer.Exit(outcome.exit_code)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``systemctl stop``, a timer's ``TimeoutStartSec``) ends a dispatch as Ctrl-C
    does: the shards still out are cancelled and the manifest says so, instead of the merged
    shards being left under last night's manifest."""
    if threading.current_thread() is not threading.main_thread():
        yield  # Python installs signal handlers in the main thread only
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else ""




def register(app: typer.Typer) -> None:
    """Add ``worker`` and ``dispatch`` to the command group."""
    app.command("worker")(worker)
    app.command("dispatch")(dispatch)
