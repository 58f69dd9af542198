"""One audit job as a scheduler runs it: lock, audit, record, diff, report, exit code.

Exit codes (also in README): 0 nothing (new) at or above ``--fail-on``; 1 (new) findings at or
above it; 2 bad input or usage; 3 collection degraded (more than ``--max-failed`` devices could
not be collected). Degraded wins over 1: the scheduler must hear that collection is broken.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis.context import AuditResult, RunInfo
from analysis.findings import Severity
from collectors.base import Collector
from core.errors import NetcensusError, OutputError
from netcensus.forkshare import PROCESSES, Forked, in_background, share_out
from netcensus.history import RunDiff, diff_runs, run_record, stored_samples
from netcensus.pipeline import SHARE_MIN_DEVICES, audit, paused_gc
from netcensus.store import StoreError
from netcensus.stores import AnyStore, is_postgresql, locked_store, store_label

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_DEGRADED = 0, 1, 2, 3

Log = Callable[[str], None]


@dataclass(frozen=True)
class AuditJob:
    """Everything an audit run is told."""

    inventory: Path
    captures: Path | None
    out: Path
    lang: str = "en"
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    today: dt.date | None = None
    store: Path | str | None = None  # default: <out>/history.sqlite; or postgresql://... (netcensus.stores)
    baseline: str | None = None  # "last", "previous" or a run id
    keep_runs: int = 30
    max_failed: str | None = None  # "5" devices or "10%"
    fail_on: Severity | None = None
    on_new_findings: str | None = None  # command; the JSON report's path is appended
    stale_after_runs: int = 3
    cache: Path | None = None  # parsed facts and validated inventory; default <out>/.facts-cache
    use_cache: bool = True
    utilisation: Path | None = None  # NMS utilisation CSV for LIN003/LIN004
    collector: Collector | None = field(default=None, compare=False)
    archives: Path | None = None  # capture archives of a PostgreSQL store; default <out>/history.runs

    @property
    def store_path(self) -> Path | str:
        if self.store is not None and is_postgresql(self.store):
            return str(self.store)
        return Path(self.store) if self.store else self.out / "history.sqlite"

    @property
    def store_label(self) -> str:
        """The store as messages and reports name it (never a password)."""
        return store_label(self.store_path)

    @property
    def cache_dir(self) -> Path | None:
        return (self.cache or self.out / ".facts-cache") if self.use_cache else None


@dataclass
class JobOutcome:
    """What the job did, for the CLI to print."""

    result: AuditResult
    run_id: int
    diff: RunDiff | None
    degraded: bool
    failed: list[str]
    written: list[Path]
    exit_code: int


def parse_max_failed(text: str | None, total: int) -> int | None:
    """``"5"`` -> 5 devices, ``"10%"`` -> 10 % of ``total`` (rounded down); None: no limit.

    >>> parse_max_failed("10%", 80), parse_max_failed("3", 80), parse_max_failed(None, 80)
    (8, 3, None)
    """
    if text is None:
        return None
    try:
        if text.endswith("%"):
            return int(total * float(text[:-1]) / 100)
        return int(text)
    except ValueError:
        raise NetcensusError(f"--max-failed must be a count or a percentage like 10%, not {text!r}") from None


def run_job(job: AuditJob, log: Log = lambda _m: None) -> JobOutcome:
    """Run one audit under the store lock; everything written atomically."""
    with paused_gc():  # see paused_gc: the collector's full passes grow with the city
        return _run_job(job, log)


def _run_job(job: AuditJob, log: Log) -> JobOutcome:
    writer = ReportWriter(job.out, job.lang)
    try:
        return _audit_record_report(job, writer, log)
    except OSError as e:  # a full disk, a read-only folder: a clear error for the scheduler (exit 2)
        writer.discard()
        raise OutputError.from_os_error(e, job.out) from e
    except BaseException:
        writer.discard()
        raise


def _audit_record_report(job: AuditJob, writer: ReportWriter, log: Log) -> JobOutcome:
    # The inventory first, outside the lock: a rejected inventory leaves no store, lock or
    # report folder behind (reading it needs no lock: its cache entries are written atomically).
    from inventory.cache import load_inventory_cached

    loading = time.perf_counter()
    inventory = load_inventory_cached(job.inventory, job.cache_dir)
    loaded_s = time.perf_counter() - loading
    with locked_store(job.store_path, job.archives or job.out / "history.runs", log) as store:
        archive = None
        try:
            store.clean_pending()
            removed_staging = clean_stale_staging(job.out)
            if removed_staging:
                log(f"removed {len(removed_staging)} staging folder(s) left by killed runs")
            base_id = _baseline(store, job.baseline, log)
            captures = job.captures if job.captures and job.captures.is_dir() else None
            loading = time.perf_counter()
            platforms = {n: d.platform for n, d in inventory.devices.items()}
            # Configurations stored under older redaction rules are redacted again before any
            # is read (the diff shows the baseline's).
            store.redact_configs(platforms)
            if captures and job.collector is None:
                # Saved captures do not change during an offline audit: archive them meanwhile
                # (once the inventory is known good, so a typo there is reported at once).
                archive = store.start_archive(captures, platforms=platforms)
            since = store.runs_since_success(inventory.devices)
            earlier_samples = stored_samples(store.utilisation_samples())
            history_s = time.perf_counter() - loading
            result = audit(job.inventory, job.captures, select=job.select, ignore=job.ignore,
                           today=job.today, collector=job.collector, cache_dir=job.cache_dir,
                           runs_since_success=since,
                           stale_after_runs=job.stale_after_runs, inventory=inventory,
                           utilisation_csv=job.utilisation, history_utilisation=earlier_samples)
            starting = time.perf_counter()
            writer.start(result)  # the reports that need no history, while the run is recorded
            started_s = time.perf_counter() - starting
            failed = sorted(n for n, f in result.facts.items() if f.status not in ("ok", "partial"))
            limit = parse_max_failed(job.max_failed, len(result.facts))
            degraded = limit is not None and len(failed) > limit
            # The inventory was loaded here, not in audit(): count it in its own stage.
            result.timings["load_inventory"] = result.timings.get("load_inventory", 0.0) + loaded_s
            recording = time.perf_counter()
            record = run_record(result, degraded=degraded)
            base = store.run(base_id) if base_id is not None else None
            diff: RunDiff | None = None
            render_s = 0.0

            def stage_reports(run_id: int) -> None:
                # Inside the run's transaction: if a report cannot be written (a full disk),
                # the run is not recorded either, so the next night's diff still shows as
                # new what nobody has seen in a report.
                nonlocal diff, render_s
                if base is not None:
                    current = store.run(run_id)
                    platforms = {n: d.platform for n, d in result.inventory.devices.items()}
                    diff = diff_runs(base, current, platforms=platforms)
                    result.diff = diff.to_dict()
                result.run = RunInfo(run_id, degraded, tuple(failed), job.store_label)
                rendering = time.perf_counter()
                writer.render(result)
                render_s = time.perf_counter() - rendering

            run_id = store.record(record, captures=captures, archive=archive, before_commit=stage_reports,
                                  platforms=platforms)
            removed = store.prune(job.keep_runs)
            if removed:
                log(f"retention: removed runs {', '.join(map(str, removed))}")
            result.timings["history"] = history_s + time.perf_counter() - recording - render_s
        finally:
            if archive is not None:
                archive.discard()  # after a failed run; a recorded archive is already in place
            store.close()
    publishing = time.perf_counter()
    written = writer.publish()
    result.timings["reports"] = started_s + render_s + time.perf_counter() - publishing
    code = exit_code(result, diff, degraded, job.fail_on)
    if job.on_new_findings and diff is not None and diff.new:
        notify(job.on_new_findings, job.out / "netcensus-report.json", log)
    return JobOutcome(result, run_id, diff, degraded, failed, written, code)


def _baseline(store: AnyStore, ref: str | None, log: Log) -> int | None:
    """The baseline run's id; a first run asked for ``last`` or ``previous`` has none (not an error:
    a nightly job is set up with ``--baseline last`` before its first night)."""
    if ref is None:
        return None
    try:
        return store.resolve(ref)
    except StoreError:
        if ref not in ("last", "previous"):
            raise  # an unknown run id is a mistake
        log(f"no {ref} run recorded yet: nothing to compare with")
        return None


def exit_code(result: AuditResult, diff: RunDiff | None, degraded: bool, fail_on: Severity | None) -> int:
    """Degraded (3) first; then 1 if (new, when diffing) open findings reach ``fail_on``."""
    if degraded:
        return EXIT_DEGRADED
    if fail_on is None:
        return EXIT_OK
    if diff is not None:
        candidates = [Severity.parse(f["severity"]) for f in diff.new if f.get("status") == "open"]
    else:
        candidates = [f.severity for f in result.findings if f.status == "open"]
    return EXIT_FINDINGS if any(s >= fail_on for s in candidates) else EXIT_OK


class ReportWriter:
    """Renders every registered file report into a staging folder, then moves each into place.

    A run killed mid-write leaves the previous reports whole (``os.replace`` is atomic).
    For a large city (:data:`SHARE_MIN_DEVICES`) the reports that do not read the
    history (``reports.registry.HISTORY_FREE``: the graph exports) start in a forked
    process by :meth:`start`, while the job records the run; :meth:`render` shares the
    rest between this process and another fork (:mod:`netcensus.forkshare`). The job
    renders (stages) every report before the run is committed to the history, and
    publishes them (:meth:`publish`) after: a run is recorded only with its reports.
    :meth:`finish` does both, for callers without a history.
    """

    def __init__(self, out: Path, lang: str):
        from reports.registry import FORMATS, RenderOptions, load_builtin_renderers

        load_builtin_renderers()
        self.out, self.options = out, RenderOptions(lang=lang)
        self.names = sorted(n for n in FORMATS.available if n != "terminal")  # the terminal one prints
        self.staging: Path | None = None
        self.early: Forked[list[list[Path]]] | None = None
        self.early_names: list[str] = []
        self.staged: list[Path] = []

    def start(self, result: AuditResult) -> None:
        """Start the history-free reports in the background (large cities only)."""
        from reports.registry import HISTORY_FREE

        if len(result.inventory.devices) < SHARE_MIN_DEVICES:
            return
        names = [n for n in self.names if n in HISTORY_FREE]
        self._staging()  # before the fork, so that both processes write into it
        self.early = in_background(names, lambda name: self._render(name, result))
        self.early_names = names if self.early is not None else []

    def render(self, result: AuditResult) -> None:
        """Render the other reports and wait for the early ones: every file is staged."""
        self._staging()  # before any fork, so that every process writes into it
        rest = [n for n in self.names if n not in self.early_names]
        processes = PROCESSES if len(result.inventory.devices) >= SHARE_MIN_DEVICES else 1
        self.staged = [p for paths in share_out(rest, lambda name: self._render(name, result), processes)
                       for p in paths]
        if self.early is not None:
            early, self.early = self.early, None
            self.staged += [p for paths in early.result() for p in paths]

    def publish(self) -> list[Path]:
        """Move the staged reports into place (renames: they need no room) and clean up."""
        try:
            written = []
            for path in sorted(self.staged):
                target = self.out / path.relative_to(self._staging())
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                written.append(target)
            return written
        finally:
            self.discard()

    def finish(self, result: AuditResult) -> list[Path]:
        """:meth:`render`, then :meth:`publish`."""
        try:
            self.render(result)
        except BaseException:
            self.discard()
            raise
        return self.publish()

    def discard(self) -> None:
        """Stop what runs in the background and remove the staging folder."""
        if self.early is not None:
            self.early.kill()
            self.early = None
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def _staging(self) -> Path:
        if self.staging is None:
            self.out.mkdir(parents=True, exist_ok=True)
            # The pid in the name tells the next run whether its writer is still alive.
            self.staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=self.out))
        return self.staging

    def _render(self, name: str, result: AuditResult) -> list[Path]:
        from reports.registry import render

        return render(name, result, self._staging(), self.options)


STAGING_PREFIX = ".rendering-"


def clean_stale_staging(out: Path) -> list[Path]:
    """Remove the report staging folders of runs that died (killed, power cut) in ``out``.

    Called under the store lock, so no run recording into that store is rendering. A run
    with another store may share ``out``: a folder whose pid (``.rendering-<pid>-...``) is
    alive and not this process is left alone. Folders without a pid are from older versions.
    """
    removed = []
    try:
        candidates = [p for p in out.glob(f"{STAGING_PREFIX}*") if p.is_dir() and not p.is_symlink()]
    except OSError:
        return []
    for folder in candidates:
        pid_text = folder.name[len(STAGING_PREFIX):].split("-", 1)[0]
        pid = int(pid_text) if pid_text.isdigit() else None
        if pid is not None and pid != os.getpid() and _alive(pid):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def write_reports(result: AuditResult, out: Path, lang: str) -> list[Path]:
    """Render every registered file report into ``out`` (see :class:`ReportWriter`)."""
    writer = ReportWriter(out, lang)
    writer.start(result)
    return writer.finish(result)


def notify(command: str, report: Path, log: Log) -> None:
    """Run the user's notification command with the JSON report's path; never fail the audit."""
    try:
        done = subprocess.run([*shlex.split(command), str(report)], timeout=120, check=False)
        if done.returncode:
            log(f"--on-new-findings command exited {done.returncode}")
    except (OSError, subprocess.TimeoutExpired) as e:
        log(f"--on-new-findings command failed: {e}")
