"""The dispatcher: enqueue the shards, wait for them, retry the dead, merge the captures.

:func:`dispatch` is what ``netcensus dispatch`` runs. It

* plans the shards (:mod:`.shards`) and stores the inventory once in the broker under its
  SHA-256 (the jobs carry only the digest and their device names);
* enqueues each shard on its routing key's queue with ``Retry(max=retries)``: a shard whose
  worker died (SIGKILL, power, network) stops heartbeating, RQ's StartedJobRegistry finds
  it abandoned when the dispatcher sweeps the registry, and RQ puts it back on its queue,
  at most ``retries`` times;
* shows the devices done across every shard (a rich bar on a terminal, log lines otherwise);
* unpacks each finished shard into the capture folder and writes one merged manifest;
  a shard that failed after its retries, or that no worker took before ``wait_s``, leaves
  its devices ``missing`` ("not collected: ..."), as a single-host run leaves a device it
  never reached.

It holds the capture folder's ``.collect.lock`` (the same lock as ``netcensus collect``).
Ctrl-C cancels the shards still out, records their devices as not collected, writes the
merged manifest (``interrupted``) and raises :class:`KeyboardInterrupt`.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis import Redis
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rq import Queue, Retry, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.results import Result

from collectors.capture import device_dir
from collectors.manifest import DeviceRecord, Manifest, now, read_manifest, tool_versions
from core.errors import InputError, Problem
from inventory.model import Inventory
from netcensus.collect import capture_lock
from netcensus.distributed.broker import INVENTORY_KEY, SERIALIZER, queue_name, redact_url
from netcensus.distributed.merge import ShardResultError, merge_manifests, not_collected, unpack, write_merged
from netcensus.distributed.shard_job import FORMAT, REQUEST_OPTIONS
from netcensus.distributed.shards import DEFAULT_CHUNK, Shard, inventory_payload, plan_shards, routing_keys

JOB_FUNCTION = "netcensus.distributed.shard_job.collect_shard"


@dataclass(frozen=True)
class DispatchOptions:
    """How to split, how long to wait, how often to retry; and the shards' collection options."""

    by: str = "district"
    chunk: int = DEFAULT_CHUNK
    site_groups: Mapping[str, str] | None = None
    retries: int = 2  # times a shard whose worker died is put back on its queue
    shard_timeout_s: int = 4 * 3600  # RQ's job timeout: a shard running longer is stopped
    wait_s: float | None = None  # give up on shards without a result by then (None: wait on)
    poll_s: float = 0.5
    collect: Mapping[str, Any] = field(default_factory=dict)  # REQUEST_OPTIONS only


@dataclass
class ShardOutcome:
    """How one shard went."""

    shard: Shard
    job_id: str
    status: str = "queued"  # queued, started, done, failed
    attempts: int = 0
    host: str | None = None
    worker: str | None = None  # the RQ worker that ran its last attempt
    error: str | None = None


@dataclass
class DispatchRun:
    """What the dispatch did: the merged manifest (also on disk) and each shard's outcome."""

    out_dir: Path
    manifest: Manifest
    shards: dict[str, ShardOutcome]

    @property
    def interrupted(self) -> bool:
        """True when a shard's collection was interrupted on its worker."""
        return self.manifest.interrupted

    @property
    def failed(self) -> dict[str, DeviceRecord]:
        """Devices of this dispatch whose collection did not complete (neither ok nor partial)."""
        return {n: r for n, r in self.manifest.devices.items()
                if not r.from_previous_run and not r.collected}


def dispatch(inventory: Inventory, out_dir: Path | str, options: DispatchOptions, redis: Redis,
             console: Console | None = None, *, redis_label: str = "") -> DispatchRun:
    """Collect the inventory through the workers into ``out_dir``; see the module docstring.

    Raises :class:`InputError` before enqueueing anything when the inventory cannot be split
    (a device without a routing key) or the options are wrong.
    """
    console = console or Console(stderr=True)
    out_dir = Path(out_dir)
    unknown = set(options.collect) - set(REQUEST_OPTIONS)
    if unknown:
        raise InputError([Problem("options", None, None, f"not a shard option: {sorted(unknown)}")])
    if options.retries < 0:
        raise InputError([Problem("--retries", None, None, "must be 0 or more")])
    keys = routing_keys(inventory, options.by, options.site_groups)
    shards = plan_shards(keys, chunk=options.chunk)
    previous = read_manifest(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with capture_lock(out_dir):
        started = now()
        digest, text = inventory_payload(inventory)
        run_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
        inventory_key = INVENTORY_KEY.format(run=run_id, digest=digest)
        redis.set(inventory_key, text, ex=int(options.shard_timeout_s * (options.retries + 1) + 3600))
        outcomes = _enqueue(redis, shards, digest, options, run_id)
        _warn_idle_queues(redis, {s.key for s in shards}, console)
        merged_shards: dict[str, Manifest] = {}
        failed: dict[str, DeviceRecord] = {}
        interrupted = False
        try:
            _wait(redis, outcomes, options, console, inventory, out_dir, merged_shards, failed)
        except KeyboardInterrupt:  # Ctrl-C: the queued shards are nobody's now
            # The shards merged so far stay, under a manifest saying so, as an interrupted
            # `netcensus collect` leaves its folder: never tonight's folders under last night's manifest.
            interrupted = True
            for outcome in outcomes.values():
                if outcome.status in ("queued", "started"):
                    _cancel(redis, outcome)
                    _give_up(outcome, inventory, failed, "dispatch interrupted", console, out_dir)
        finally:
            for outcome in outcomes.values():  # results hold captures: do not leave them in the broker
                _forget(redis, outcome)
            redis.delete(inventory_key)
        record = {name: {"queue": queue_name(o.shard.key), "devices": len(o.shard.devices), "status": o.status,
                         "attempts": o.attempts, "host": o.host, "worker": o.worker, "error": o.error}
                  for name, o in outcomes.items()}
        manifest = merge_manifests(started, now(), tool_versions(),
                                   {"distributed": {"by": options.by, "broker": redact_url(redis_label),
                                                    "retries": options.retries, "run": run_id},
                                    "shards": record, **dict(options.collect)},
                                   merged_shards, failed, previous)
        manifest.interrupted = manifest.interrupted or interrupted
        write_merged(out_dir, manifest)
    if interrupted:
        raise KeyboardInterrupt
    return DispatchRun(out_dir, manifest, outcomes)


def job_id(run_id: str, number: int, shard: Shard) -> str:
    """The RQ job id of the ``number``-th shard of a dispatch: unique within it, and of the
    characters RQ accepts (letters, digits, '_', '-'), which a routing key may exceed ('.').

    The number keeps it unique: the name alone could not tell the chunk ``xc#2`` from a
    district named ``xc-2``.

    >>> job_id("20261203T010000-ab12cd", 3, Shard("xc.north", 2, ("r1",)))
    'netcensus-20261203T010000-ab12cd-3-xc_north_2'
    """
    return f"netcensus-{run_id}-{number}-{re.sub(r'[^A-Za-z0-9_-]', '_', shard.name)}"


def _enqueue(redis: Redis, shards: list[Shard], digest: str, options: DispatchOptions, run_id: str
             ) -> dict[str, ShardOutcome]:
    outcomes: dict[str, ShardOutcome] = {}
    for number, shard in enumerate(shards, start=1):
        queue = Queue(queue_name(shard.key), connection=redis, serializer=SERIALIZER)
        request = {"format": FORMAT, "run": run_id, "shard": shard.name, "key": shard.key, "inventory": digest,
                   "devices": list(shard.devices), "options": dict(options.collect)}
        job = queue.enqueue(
            JOB_FUNCTION, request, job_id=job_id(run_id, number, shard),
            job_timeout=options.shard_timeout_s, result_ttl=24 * 3600, failure_ttl=24 * 3600,
            retry=Retry(max=options.retries) if options.retries else None,
            description=f"netcensus shard {shard.name} ({len(shard.devices)} devices)",
            meta={"devices": len(shard.devices), "done": 0})
        outcomes[shard.name] = ShardOutcome(shard, job.id)
    return outcomes


def _warn_idle_queues(redis: Redis, keys: set[str], console: Console) -> None:
    for key in sorted(keys):
        queue = Queue(queue_name(key), connection=redis, serializer=SERIALIZER)
        if not Worker.all(queue=queue):
            console.print(f"note: no worker listens on queue {queue.name} yet "
                          f"(start `netcensus worker --queue {key}` on a collector host of {key})",
                          markup=False, highlight=False)


def _wait(redis: Redis, outcomes: dict[str, ShardOutcome], options: DispatchOptions, console: Console,
          inventory: Inventory, out_dir: Path, merged: dict[str, Manifest], failed: dict[str, DeviceRecord]
          ) -> None:
    """Poll until every shard has a result or failed; merge each as it comes."""
    total = sum(len(o.shard.devices) for o in outcomes.values())
    deadline = time.monotonic() + options.wait_s if options.wait_s is not None else None
    registries = [StartedJobRegistry(queue=Queue(queue_name(k), connection=redis, serializer=SERIALIZER))
                  for k in sorted({o.shard.key for o in outcomes.values()})]
    pending = dict(outcomes)
    with _progress(console, total) as advance:
        while pending:
            for registry in registries:  # abandoned jobs (no heartbeat): RQ retries or fails them
                registry.cleanup()
            running_done = 0
            for name, outcome in list(pending.items()):
                try:
                    job = Job.fetch(outcome.job_id, connection=redis, serializer=SERIALIZER)
                except NoSuchJobError:
                    _give_up(outcome, inventory, failed, "its job vanished from the broker", console, out_dir)
                    del pending[name]
                    continue
                # RQ counts retries down: each one put the shard back on its queue once more.
                left = job.retries_left if job.retries_left is not None else options.retries
                attempts = options.retries - left + 1
                if attempts > outcome.attempts >= 1:
                    console.print(f"shard {name}: its attempt ended without a result (worker died or crashed); "
                                  f"put back on its queue (attempt {attempts} of {options.retries + 1})",
                                  markup=False, highlight=False)
                outcome.attempts = max(outcome.attempts, attempts)
                status = job.get_status(refresh=False)
                outcome.worker = job.worker_name or outcome.worker
                if status == JobStatus.FINISHED:
                    _take(outcome, job.return_value(), inventory, out_dir, merged, failed, console)
                    del pending[name]
                elif status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
                    _give_up(outcome, inventory, failed, f"{_reason(job)} after {outcome.attempts} attempt(s)",
                             console, out_dir)
                    del pending[name]
                else:
                    outcome.status = "started" if status == JobStatus.STARTED else "queued"
                    running_done += int(job.meta.get("done") or 0) if outcome.status == "started" else 0
            advance(sum(len(o.shard.devices) for o in outcomes.values()
                        if o.status in ("done", "failed")) + running_done)
            if pending and deadline is not None and time.monotonic() > deadline:
                for name, outcome in list(pending.items()):
                    _cancel(redis, outcome)
                    _give_up(outcome, inventory, failed,
                             f"no result within --wait {options.wait_s:g} s (queue {queue_name(outcome.shard.key)})",
                             console, out_dir)
                    del pending[name]
            if pending:
                time.sleep(options.poll_s)


def _take(outcome: ShardOutcome, result: Any, inventory: Inventory, out_dir: Path,
          merged: dict[str, Manifest], failed: dict[str, DeviceRecord], console: Console) -> None:
    name = outcome.shard.name
    if not isinstance(result, dict) or result.get("format") != FORMAT:
        _give_up(outcome, inventory, failed, "its worker answered in an unknown format", console, out_dir)
        return
    outcome.host = result.get("host")
    if result.get("error") or not result.get("archive"):
        _give_up(outcome, inventory, failed, f"worker {outcome.host}: {result.get('error') or 'no captures'}",
                 console, out_dir)
        return
    try:
        captures = unpack(name, result["archive"], outcome.shard.devices, out_dir)
    except ShardResultError as exc:
        _give_up(outcome, inventory, failed, str(exc), console, out_dir)
        return
    merged[name] = captures.manifest
    for device in outcome.shard.devices:  # asked for, yet absent from the shard's manifest
        if device not in captures.manifest.devices:
            failed[device] = not_collected(inventory.devices[device], f"shard {name} did not report it")
    outcome.status = "done"


def _give_up(outcome: ShardOutcome, inventory: Inventory, failed: dict[str, DeviceRecord], reason: str,
             console: Console, out_dir: Path) -> None:
    """Record the shard's devices as not collected, and remove their folders of an earlier run:
    an audit must not read last night's files as tonight's (the manifest says "missing")."""
    outcome.status, outcome.error = "failed", reason
    for device in outcome.shard.devices:
        folder = device_dir(out_dir, device)
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
    console.print(f"shard {outcome.shard.name} failed: {reason}; its {len(outcome.shard.devices)} device(s) "
                  "are recorded as not collected", markup=False, highlight=False, soft_wrap=True)
    for device in outcome.shard.devices:
        failed[device] = not_collected(inventory.devices[device], f"shard {outcome.shard.name} failed: {reason}")


def _reason(job: Job) -> str:
    """The last line of the job's failure (RQ records an abandoned job's as AbandonedJobError)."""
    result = job.latest_result()
    text = (result.exc_string if result is not None else None) or job.exc_info or ""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return f"job {job.get_status(refresh=False)}"
    last = lines[-1]
    return "its worker died (no heartbeat)" if "AbandonedJobError" in text and "Traceback" not in text else last


def _cancel(redis: Redis, outcome: ShardOutcome) -> None:
    with suppress(Exception):
        Job.fetch(outcome.job_id, connection=redis, serializer=SERIALIZER).cancel()


def _forget(redis: Redis, outcome: ShardOutcome) -> None:
    try:
        job = Job.fetch(outcome.job_id, connection=redis, serializer=SERIALIZER)
    except NoSuchJobError:
        return
    if job.get_status(refresh=False) in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED):
        return  # still to run or running (the dispatcher was stopped): its worker needs it
    try:
        job.delete()
    except ValueError:  # RQ trips over the expired record of a dead worker's attempt
        redis.delete(job.key, Result.get_key(job.id))


@contextmanager
def _progress(console: Console, total: int) -> Iterator[Any]:
    """``advance(done)``: a rich bar on a terminal, a log line per 10 % otherwise."""
    if console.is_terminal:
        with Progress(TextColumn("collecting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=False) as bar:
            task = bar.add_task("devices", total=total)
            yield lambda done: bar.update(task, completed=done)
        return
    shown = [-1]

    def advance(done: int) -> None:
        step = done * 10 // max(total, 1)
        if step > shown[0]:
            shown[0] = step
            console.print(f"{now()} collected {done}/{total} devices", markup=False, highlight=False)

    yield advance
