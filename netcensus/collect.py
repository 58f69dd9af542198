"""A live collection run: select devices, collect them in parallel, write the capture directory.

``collect(inventory, out_dir, options)`` is what ``netcensus collect`` and
``netcensus audit --collect`` call. It

* selects devices with :class:`DeviceFilter` (``--department``, ``--site``,
  ``--role``, ``--platform``, ``--device``; values of one kind are alternatives,
  kinds combine), and with ``--resume`` skips those the previous manifest records
  as complete whose files are all there;
* resolves credentials first (environment, ``--credentials-file``, prompt on a
  terminal), so a missing profile fails before any device is contacted;
* runs a pool of ``workers`` threads, each device through the transport its
  inventory entry names (netmiko, napalm or asyncssh; ``transport`` in the options
  overrides it for the whole run); asyncssh sessions all run in one event loop,
  ``workers`` at once; one device failing never stops the run, and every outcome
  lands in ``manifest.json``;
* writes each output redacted and atomically; a device folder reflects its latest
  attempt (survey files the attempt did not produce are removed, so an audit
  never mixes two runs);
* holds a lock on the directory (``.collect.lock``): a second run into the same
  directory is refused while the first goes on;
* on Ctrl-C stops starting devices, lets sessions in progress end after their
  current command, records devices never started as ``missing`` and writes the
  manifest (``"interrupted": true``); a second Ctrl-C stops waiting.
"""

from __future__ import annotations

import fcntl
import fnmatch
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from collectors.base import Collector, RawOutputs
from collectors.capture import device_dir, output_path, write_file
from collectors.credentials import prompt_credentials, resolve_credentials
from collectors.facts import DeviceFacts
from collectors.hostkeys import DEFAULT_KNOWN_HOSTS, HostKeyMode, HostKeyPolicy
from collectors.live.progress import Reporter, reporter_for
from collectors.live.session import SessionSettings
from collectors.manifest import (
    DeviceRecord,
    Manifest,
    complete_devices,
    now,
    read_manifest,
    tool_versions,
    write_manifest,
)
from collectors.napalm_facts import GETTERS, KEY_PREFIX, napalm_filename
from core.errors import InputError, Problem
from core.platforms import PLATFORMS
from inventory.model import Device, Inventory, Transport

__all__ = ["CollectOptions", "CollectionRun", "DeviceFilter", "collect", "select_devices",
           "with_manifest_status"]

DEFAULT_WORKERS = 20  # measured: loopback throughput stops growing past ~30 on 2 cores
_MANIFEST_EVERY_S = 2.0  # rewrite the manifest at most this often while running


@dataclass(frozen=True)
class DeviceFilter:
    """Which devices a run covers. Empty means all; values of one kind are alternatives."""

    departments: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()  # names or shell patterns ("core-*")


@dataclass(frozen=True)
class CollectOptions:
    """Everything the CLI flags of ``netcensus collect`` set."""

    workers: int = DEFAULT_WORKERS
    filters: DeviceFilter = field(default_factory=DeviceFilter)
    resume: bool = False
    host_keys: HostKeyMode = "strict"
    known_hosts: Path = DEFAULT_KNOWN_HOSTS
    credentials_file: Path | None = None
    connect_timeout_s: float = 10.0
    command_timeout_s: float = 60.0
    retries: int = 2
    backoff_s: float = 2.0
    prompt: bool | None = None  # ask for missing credentials; None: only when stdin is a terminal
    parse: bool = True  # parse each device after collection (status parse_failed, facts returned)
    transport: Transport | None = None  # every device through this transport; None: each its own


@dataclass
class CollectionRun:
    """What a run did: the manifest (also on disk) and the parsed facts of this run's devices."""

    out_dir: Path
    manifest: Manifest
    facts: dict[str, DeviceFacts] = field(default_factory=dict)

    @property
    def interrupted(self) -> bool:
        """True when Ctrl-C ended the run early."""
        return self.manifest.interrupted

    @property
    def failed(self) -> dict[str, DeviceRecord]:
        """Devices of the run whose collection did not complete (neither ok nor partial)."""
        return {n: r for n, r in self.manifest.devices.items()
                if not r.collected}


CollectorFactory = Callable[[SessionSettings], Mapping[str, Collector]]


def default_collectors(settings: SessionSettings) -> dict[str, Collector]:
    """The live transports, by the name a device's ``transport`` field uses."""
    from collectors.live.asyncssh_transport import AsyncsshCollector
    from collectors.live.napalm_transport import NapalmCollector
    from collectors.live.netmiko_transport import NetmikoCollector

    return {"netmiko": NetmikoCollector(settings), "napalm": NapalmCollector(settings),
            "asyncssh": AsyncsshCollector(settings)}


def select_devices(inventory: Inventory, filters: DeviceFilter) -> list[Device]:
    """The devices the filters select, in inventory order.

    Raises :class:`InputError` when a filter value names nothing in the inventory
    (a typo would otherwise silently collect nothing) or nothing is selected.
    """
    problems = []
    known = {
        "department": set(inventory.departments) | {d.department for d in inventory.devices.values()},
        "site": set(inventory.sites) | {s for s in map(inventory.device_site, inventory.devices) if s},
        "role": {d.role for d in inventory.devices.values()},
        "platform": set(PLATFORMS) | {d.platform for d in inventory.devices.values()},
    }
    for kind, values in (("department", filters.departments), ("site", filters.sites),
                         ("role", filters.roles), ("platform", filters.platforms)):
        for value in values:
            if value not in known[kind]:
                problems.append(Problem(f"--{kind}", None, None, f"{value!r} names no {kind} in the inventory"))
    for pattern in filters.devices:
        if not fnmatch.filter(inventory.devices, pattern):
            problems.append(Problem("--device", None, None, f"{pattern!r} matches no device in the inventory"))
    if problems:
        raise InputError(problems)

    def wanted(device: Device) -> bool:
        return ((not filters.departments or device.department in filters.departments)
                and (not filters.sites or inventory.device_site(device.name) in filters.sites)
                and (not filters.roles or device.role in filters.roles)
                and (not filters.platforms or device.platform in filters.platforms)
                and (not filters.devices or any(fnmatch.fnmatchcase(device.name, p) for p in filters.devices)))

    selected = [d for d in inventory.devices.values() if wanted(d)]
    if not selected:
        raise InputError([Problem("filters", None, None, "the filters together select no device")])
    return selected


def collect(
    inventory: Inventory,
    out_dir: Path | str,
    options: CollectOptions | None = None,
    console: Console | None = None,
    *,
    collectors: CollectorFactory = default_collectors,
    env: Mapping[str, str] | None = None,
) -> CollectionRun:
    """Collect the selected devices into ``out_dir``; see the module docstring.

    Raises :class:`InputError` (bad filters, unusable credentials or known_hosts)
    before contacting any device; device failures never raise, they are recorded.
    """
    options = options or CollectOptions()
    out_dir = Path(out_dir)
    console = console or Console(stderr=True)
    if options.workers < 1:
        raise InputError([Problem("--workers", None, None, "must be at least 1")])
    devices = select_devices(inventory, options.filters)
    previous = read_manifest(out_dir)
    done_before = complete_devices(out_dir, previous) if options.resume else {}
    todo = [d for d in devices if d.name not in done_before]
    if options.transport is not None:  # the manifest then records the transport really used
        todo = [d.model_copy(update={"transport": options.transport}) for d in todo]

    host_keys = HostKeyPolicy(options.host_keys, options.known_hosts)
    if options.host_keys == "strict" and todo and not host_keys.known_hosts.is_file():
        raise InputError([Problem(str(host_keys.known_hosts), None, None,
                                  "known_hosts file not found: every host key would be refused; "
                                  "give --known-hosts FILE or use --accept-new-host-keys")])
    prompt = options.prompt if options.prompt is not None else sys.stdin.isatty()
    credentials = resolve_credentials({d.credentials for d in todo}, env=env,
                                      credentials_file=options.credentials_file,
                                      prompt=prompt_credentials if prompt else None)
    settings = SessionSettings(credentials, host_keys, options.connect_timeout_s, options.command_timeout_s,
                               options.retries, options.backoff_s, sessions=options.workers)

    manifest = Manifest(started=now(), versions=tool_versions(), options=_options_record(options))
    if previous is not None:  # the manifest keeps describing every device folder of the directory
        for name, record in previous.devices.items():
            record.from_previous_run = True
            manifest.devices[name] = record
    run = CollectionRun(out_dir, manifest)
    out_dir.mkdir(parents=True, exist_ok=True)
    with capture_lock(out_dir):
        reporter = reporter_for(console)
        reporter.start(len(todo), len(done_before), options.workers)
        transports = collectors(settings)
        try:
            _Runner(run, settings, transports, reporter, options.parse).run(todo)
        finally:
            for transport in transports.values():  # the asyncssh event loop ends with the run
                close = getattr(transport, "close", None)
                if callable(close):
                    close()
            host_keys.close()  # its per-session known_hosts files
    return run


LOCK_NAME = ".collect.lock"


@contextmanager
def capture_lock(out_dir: Path) -> Iterator[None]:
    """One collection (``netcensus collect`` or ``dispatch``) at a time per capture directory:
    two would interleave files and manifests."""
    with open(out_dir / LOCK_NAME, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError([Problem(str(out_dir), None, None,
                                      "another netcensus collect or dispatch is writing to this directory")]) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Runner:
    """The worker pool and its bookkeeping; the main thread alone touches the manifest."""

    def __init__(self, run: CollectionRun, settings: SessionSettings, collectors: Mapping[str, Collector],
                 reporter: Reporter, parse: bool):
        self.run_ = run
        self.settings = settings
        self.collectors = collectors
        self.reporter = reporter
        self.parse = parse
        self._last_write = 0.0

    def run(self, devices: list[Device]) -> None:
        manifest = self.run_.manifest
        pool = ThreadPoolExecutor(max_workers=max(1, min(self._workers(), len(devices) or 1)),
                                  thread_name_prefix="collect")
        futures: dict[Future[tuple[DeviceRecord, DeviceFacts | None]], Device] = {}
        with _CtrlC(self.settings.stop) as ctrl_c:
            try:
                for device in devices:
                    if ctrl_c.pressed:
                        break
                    futures[pool.submit(self._device, device)] = device
                pending = set(futures)
                noted = False
                while pending and not ctrl_c.pressed_twice:
                    if ctrl_c.pressed and not noted:
                        noted = True
                        manifest.interrupted = True
                        for fut in pending:
                            fut.cancel()  # not started yet: never will be
                        self.reporter.note("interrupted: finishing the sessions in progress "
                                           "(Ctrl-C again to stop waiting)")
                        pending = {f for f in pending if not f.cancelled()}
                    finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    self._take(finished, futures)
                manifest.interrupted = ctrl_c.pressed
                for device in self._never_collected(devices, futures, ctrl_c.pressed_twice):
                    manifest.devices[device.name] = _record(device, "missing", "not collected: run interrupted")
            finally:
                pool.shutdown(wait=not ctrl_c.pressed_twice, cancel_futures=True)
                if self.settings.host_keys.recorded:  # trusted on first use in this run
                    manifest.options["host_keys_recorded"] = sorted(self.settings.host_keys.recorded)
                manifest.finished = now()
                write_manifest(self.run_.out_dir, manifest)
                self.reporter.finish(manifest)

    @staticmethod
    def _never_collected(devices: list[Device], futures: Mapping[Future, Device], give_up: bool) -> list[Device]:
        submitted = {device.name: fut for fut, device in futures.items()}
        return [d for d in devices
                if d.name not in submitted or submitted[d.name].cancelled()
                or (give_up and not submitted[d.name].done())]

    def _workers(self) -> int:
        return int(self.run_.manifest.options.get("workers", 1))

    def _take(self, finished: set[Future], futures: Mapping[Future, Device]) -> None:
        for fut in finished:
            if fut.cancelled():
                continue
            device = futures[fut]
            record, facts = fut.result()  # _device never raises
            self.run_.manifest.devices[device.name] = record
            if facts is not None:
                self.run_.facts[device.name] = facts
            self.reporter.device_done(device.name, record)
        if finished and time.monotonic() - self._last_write >= _MANIFEST_EVERY_S:
            write_manifest(self.run_.out_dir, self.run_.manifest)
            self._last_write = time.monotonic()

    def _device(self, device: Device) -> tuple[DeviceRecord, DeviceFacts | None]:
        """Collect, write and parse one device; whatever happens becomes its record."""
        started = now()
        begin = time.perf_counter()
        if self.settings.stop.is_set():  # Ctrl-C came while this device waited for a worker
            return _record(device, "missing", "not collected: run interrupted"), None
        try:
            collector = self.collectors.get(device.transport)
            if collector is None:
                raw = RawOutputs(device.name, device.platform, status="error",
                                 error=f"no transport {device.transport!r}")
            else:
                raw = collector.collect(device)
            files = write_device(self.run_.out_dir, device, raw)
            facts = _parse(raw) if self.parse else None
            status = raw.status
            if facts is not None and raw.status in ("ok", "partial") and facts.status == "parse_failed":
                status = "parse_failed"
            problems = [str(p) for p in (facts.problems if facts is not None else raw.problems)]
            record = _record(device, status, raw.error, started=started, files=files, problems=problems,
                             attempts=self.settings.attempts.get(device.name, 1))
        except Exception as exc:  # a bug or a full disk: this device fails, the run goes on
            record = _record(device, "error", f"{type(exc).__name__}: {exc}", started=started)
            facts = None
        record.duration_s = round(time.perf_counter() - begin, 3)
        return record, facts


class _CtrlC:
    """While a run goes on, Ctrl-C asks it to stop instead of raising mid-bookkeeping.

    The first press sets ``stop`` (sessions end after their current command, no new
    device starts); the second stops waiting for them. Outside the main thread,
    where Python allows no signal handler, Ctrl-C keeps its default behaviour.
    """

    def __init__(self, stop: threading.Event):
        self.stop = stop
        self.presses = 0
        self._previous: object = None

    @property
    def pressed(self) -> bool:
        return self.presses > 0

    @property
    def pressed_twice(self) -> bool:
        return self.presses > 1

    def _handle(self, signum: int, frame: object) -> None:
        self.presses += 1
        self.stop.set()

    def __enter__(self) -> _CtrlC:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]


def _parse(raw: RawOutputs) -> DeviceFacts:
    from collectors.parse import parse_outputs  # routes napalm getter results too

    return parse_outputs(raw)


#: Statuses of a collection that reached no output: the manifest says why, the folder cannot.
_FAILED_STATUSES = frozenset({"auth_failed", "timeout", "refused", "host_key_mismatch", "prompt_not_found",
                              "command_failed", "error"})


def with_manifest_status(facts: Mapping[str, DeviceFacts], captures: Path | str | None
                         ) -> dict[str, DeviceFacts]:
    """Devices read as ``missing`` from a capture directory, with the reason its manifest records.

    A live collection that failed (authentication, host key, timeout, refused connection)
    leaves no output files, so an offline read of the directory only sees "no capture";
    ``manifest.json`` says what happened. An unreadable manifest changes nothing here
    (``netcensus collect`` reports it). The facts of other devices are returned unchanged.
    """
    from dataclasses import replace

    from core.errors import CaptureError

    try:
        manifest = read_manifest(Path(captures)) if captures else None
    except (CaptureError, OSError):
        manifest = None
    if manifest is None:
        return dict(facts)
    out = dict(facts)
    for name, f in facts.items():
        record = manifest.devices.get(name)
        if f.status == "missing" and record is not None and record.status in _FAILED_STATUSES:
            out[name] = replace(f, status=record.status,  # type: ignore[arg-type]
                                error=record.error or f.error)
    return out


def survey_files(device: Device) -> list[str]:
    """Every file name a survey of this device may write (commands and napalm getters)."""
    platform = PLATFORMS.get(device.platform)
    names = [output_path(Path("."), device.name, c.command).name for c in platform.commands] if platform else []
    return names + [napalm_filename(g) for g in GETTERS]


def write_device(out_dir: Path, device: Device, raw: RawOutputs) -> list[str]:
    """Write a device's (already redacted) outputs atomically; remove survey files it did not produce."""
    folder = device_dir(out_dir, device.name)
    written: list[str] = []
    for key, text in raw.outputs.items():
        if key.startswith(KEY_PREFIX):
            path = folder / napalm_filename(key[len(KEY_PREFIX):])
        else:
            path = output_path(out_dir, device.name, key)
        write_file(path, text)
        written.append(path.name)
    for name in survey_files(device):
        stale = folder / name
        if name not in written and stale.is_file():
            stale.unlink()  # from an earlier run: keep the folder to one attempt
    return sorted(written)


def _record(device: Device, status: str, error: str | None, **extra: object) -> DeviceRecord:
    return DeviceRecord(status=status, platform=device.platform, transport=device.transport,
                        host=device.host, port=device.port, credentials_profile=device.credentials,
                        error=error, **extra)  # type: ignore[arg-type]


def _options_record(options: CollectOptions) -> dict[str, object]:
    """The options as plain JSON for the manifest (no credential: only the file's path)."""
    f = options.filters
    return {
        "workers": options.workers,
        "transport": options.transport,
        "resume": options.resume,
        "host_keys": options.host_keys,
        "known_hosts": str(options.known_hosts) if options.host_keys != "off" else None,
        "connect_timeout_s": options.connect_timeout_s,
        "command_timeout_s": options.command_timeout_s,
        "retries": options.retries,
        "filters": {k: list(v) for k, v in (("department", f.departments), ("site", f.sites),
                                             ("role", f.roles), ("platform", f.platforms),
                                             ("device", f.devices)) if v},
    }
