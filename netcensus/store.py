"""The history store: one row set per audit run, in SQLite (WAL), behind a small interface.

A run is recorded in **one transaction** after its capture archive is safely on disk,
so a run killed at any moment leaves the store as it was: the previous run intact and
readable, and the next run works. A lock file (``flock``, released by the kernel when a
process dies) refuses a second concurrent run on the same store.

The :class:`Store` protocol is what the pipeline and the diff use, so a PostgreSQL
backend can follow (see docs/scaling.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import fcntl
import hashlib
import io
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import stat
import sys
import tarfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from collectors.redact import RULES_DIGEST, redact_config
from core.errors import NetcensusError
from netcensus.archive_redaction import (
    MAX_FILE_BYTES,
    Listing,
    add_listing,
    archive_mark,
    fsync_dir,
    migrate_archive,
    open_marked,
    platform_of,
    read_archive_mark,
    redact_capture,
)

SCHEMA_VERSION = 3
#: A capture file larger than this is not archived (listed as left out instead).
MAX_ARCHIVED_BYTES = MAX_FILE_BYTES

#: Migrations: MIGRATIONS[n] takes a store from schema version n to n + 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started TEXT NOT NULL,
        finished TEXT NOT NULL,
        inventory TEXT NOT NULL,
        captures TEXT,
        inventory_digest TEXT NOT NULL,
        facts_digest TEXT NOT NULL,
        devices INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        degraded INTEGER NOT NULL,
        archive TEXT
    );
    CREATE TABLE device_runs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        device TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT,
        config_digest TEXT,
        PRIMARY KEY (run_id, device)
    );
    CREATE TABLE configs (digest TEXT PRIMARY KEY, text TEXT NOT NULL);
    CREATE TABLE last_success (
        device TEXT PRIMARY KEY,
        run_id INTEGER NOT NULL,
        finished TEXT NOT NULL,
        config_digest TEXT
    );
    CREATE TABLE findings (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
    );
    CREATE TABLE entities (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        PRIMARY KEY (run_id, kind, id)
    );
    """,
    # 2: what a run's capture archive holds, so a run of unchanged captures reuses the
    # previous archive instead of compressing the same files again (see _archive).
    """
    ALTER TABLE runs ADD COLUMN captures_signature TEXT;
    ALTER TABLE runs ADD COLUMN captures_digest TEXT;
    """,
    # 3: each run's utilisation sample per leased line (the devices' own averaged rates at
    # the line's end), so LIN004 can take the percentile across runs.
    """
    CREATE TABLE utilisation (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        circuit TEXT NOT NULL,
        at TEXT NOT NULL,
        in_mbps REAL NOT NULL,
        out_mbps REAL NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (run_id, circuit)
    );
    """,
]


class _Aborted(Exception):
    """Carries a ``before_commit`` failure through the transaction, which rolls back."""

    def __init__(self, cause: BaseException):
        super().__init__(cause)
        self.cause = cause


def run_before_commit(before_commit: Callable[[int], None] | None, run_id: int) -> None:
    """Call a store's ``before_commit`` inside the run's transaction: its failure is carried
    out of the transaction (which rolls back) by :func:`run_transaction_outcome`."""
    if before_commit is None:
        return
    try:
        before_commit(run_id)
    except BaseException as e:
        raise _Aborted(e) from e


@contextlib.contextmanager
def run_transaction_outcome(pending_archive: Path | None) -> Iterator[None]:
    """Around a run's transaction (both stores): when it fails, the run's pending archive is
    removed and a ``before_commit`` failure is raised as it was."""
    try:
        yield
    except BaseException as e:
        if pending_archive:
            pending_archive.unlink(missing_ok=True)
        if isinstance(e, _Aborted):
            raise e.cause from None
        raise


class StoreError(NetcensusError):
    """The store cannot be used: locked, read-only, full disk, corrupt, newer schema."""


@dataclass(frozen=True)
class RunRecord:
    """What one audit run leaves in the history."""

    started: str
    finished: str
    inventory: str
    captures: str | None
    inventory_digest: str
    facts_digest: str
    device_status: dict[str, tuple[str, str | None]]  # device -> (status, error)
    configs: dict[str, str]  # device -> redacted config (collected devices only)
    findings: list[dict]  # Finding.to_dict() of every finding
    entities: dict[str, list[str]]  # kind -> ids (devices, links, circuits, rooms, websites)
    degraded: bool = False
    #: circuit -> (ISO time, in Mbit/s, out Mbit/s, source): this run's utilisation samples
    utilisation: dict[str, tuple[str, float, float, str]] = field(default_factory=dict)
    id: int | None = None  # set when read back
    archive: str | None = None

    @property
    def failed(self) -> list[str]:
        """Devices that could not be collected in this run."""
        return sorted(d for d, (s, _) in self.device_status.items() if s not in ("ok", "partial"))


@dataclass(frozen=True)
class RunSummary:
    """One line of ``netcensus history``."""

    id: int
    started: str
    finished: str
    devices: int
    failed: int
    degraded: bool
    findings: int
    inventory: str


#: device name -> platform: which redaction rules apply to the files of a capture folder
Platforms = Mapping[str, str]


class Store(Protocol):
    """What the pipeline needs from a history store."""

    def record(self, run: RunRecord, captures: Path | None = None, *,
               archive: PendingArchive | None = None, platforms: Platforms | None = None) -> int: ...
    def start_archive(self, captures: Path, platforms: Platforms | None = None) -> PendingArchive: ...
    def run(self, run_id: int) -> RunRecord: ...
    def last_run_id(self) -> int | None: ...
    def runs(self) -> list[RunSummary]: ...
    def runs_since_success(self, devices: Iterable[str]) -> dict[str, int]: ...
    def prune(self, keep_runs: int) -> list[int]: ...


def digest(text: str) -> str:
    """Content digest used for configs, inventory and facts."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SQLiteStore:
    """The embedded history store: ``<path>`` (SQLite, WAL) and ``<path>.runs/`` archives."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.archive_dir = self.path.with_name(self.path.name + ".runs")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"cannot open history store {self.path}: {_explain(e)}") from None

    # -- schema -------------------------------------------------------------------------
    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {version}; this netcensus knows up to "
                             f"{SCHEMA_VERSION}: upgrade netcensus")
        for step in range(version, SCHEMA_VERSION):
            with self._transaction():
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {step + 1}")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"cannot write history store {self.path}: {_explain(e)}") from None

    def close(self) -> None:
        self.conn.close()

    # -- writing ------------------------------------------------------------------------
    def record(self, run: RunRecord, captures: Path | None = None, *,
               archive: PendingArchive | None = None,
               before_commit: Callable[[int], object] | None = None,
               platforms: Platforms | None = None) -> int:
        """Record a run (and archive its captures); returns the run id. All or nothing.

        ``archive`` is the capture archive :meth:`start_archive` began earlier (then
        ``captures`` is not read again); it raises here if writing it failed. The archive
        holds the captures redacted for each device's platform (``platforms``; a device
        missing there gets every family's rules), and older archives are redacted too
        (:func:`redact_archives`). Given ``platforms``, the configurations earlier runs
        stored are first redacted again if the rules changed since (:meth:`redact_configs`).
        ``before_commit(run_id)`` runs inside the transaction, the run readable through
        this store: if it raises, nothing is recorded and its exception is raised as it is
        (the nightly job stages its reports there, so a run is recorded only with them).
        """
        if platforms is not None:
            self.redact_configs(platforms)  # before this run's configs join them
        if archive is not None:
            pending, signature, content = archive.result()
        elif captures:
            pending, signature, content = _archive_captures(self.archive_dir, captures, self._archived(), platforms)
        else:
            pending = signature = content = None
        archive_path = pending
        with run_transaction_outcome(archive_path), self._transaction() as db:
            cur = db.execute(
                "INSERT INTO runs (started, finished, inventory, captures, inventory_digest,"
                " facts_digest, devices, failed, degraded, archive, captures_signature, captures_digest)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (run.started, run.finished, run.inventory, run.captures, run.inventory_digest,
                 run.facts_digest, len(run.device_status), len(run.failed), int(run.degraded),
                 archive_path.name if archive_path else None, signature, content))
            run_id = int(cur.lastrowid)
            for device, (status, error) in sorted(run.device_status.items()):
                config = run.configs.get(device)
                cdigest = digest(config) if config is not None else None
                if config is not None:
                    db.execute("INSERT OR IGNORE INTO configs VALUES (?, ?)", (cdigest, config))
                db.execute("INSERT INTO device_runs VALUES (?,?,?,?,?)",
                           (run_id, device, status, error, cdigest))
                if status in ("ok", "partial"):
                    db.execute("INSERT OR REPLACE INTO last_success VALUES (?,?,?,?)",
                               (device, run_id, run.finished, cdigest))
            db.executemany("INSERT OR REPLACE INTO findings VALUES (?,?,?,?,?)", [
                (run_id, f["key"], f["severity"], f["status"], json.dumps(f, ensure_ascii=False, default=str))
                for f in run.findings])
            db.executemany("INSERT OR IGNORE INTO entities VALUES (?,?,?)", [
                (run_id, kind, i) for kind, ids in run.entities.items() for i in ids])
            db.executemany("INSERT OR REPLACE INTO utilisation VALUES (?,?,?,?,?,?)", [
                (run_id, circuit, *sample) for circuit, sample in sorted(run.utilisation.items())])
            run_before_commit(before_commit, run_id)
        if archive_path:  # the archive's final name carries the run id
            final = self.archive_dir / f"run-{run_id}.tar.gz"
            os.replace(archive_path, final)
            with self._transaction() as db:
                db.execute("UPDATE runs SET archive = ? WHERE id = ?", (final.name, run_id))
        return run_id

    def start_archive(self, captures: Path, platforms: Platforms | None = None) -> PendingArchive:
        """Begin archiving a capture folder in a background process; pass the result to :meth:`record`.

        An offline audit's captures do not change while it runs, so their archive (seconds
        of reading and compressing for a city) can be written meanwhile. The process runs at
        a lower priority: it takes the CPU the audit leaves idle (the single-threaded graph
        and checks after the parallel parse) instead of slowing the parse down. It reads
        files only; the database stays with the caller. It is a fresh interpreter
        ("spawn"), not a fork: it inherits neither the store lock nor the audit's memory.
        """
        known = self._archived()
        executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_archive_worker, initargs=(os.getpid(),))
        try:
            return PendingArchive(executor.submit(_archive_captures, self.archive_dir, captures, known,
                                                  dict(platforms) if platforms else None))
        finally:
            executor.shutdown(wait=False)  # the process ends with its one task

    def _archived(self) -> dict[str, tuple[str, str]]:
        """Capture signature -> (archive name, content digest) of the newest archived run of each."""
        rows = self.conn.execute(
            "SELECT captures_signature, archive, captures_digest FROM runs WHERE captures_signature IS NOT NULL"
            " AND archive LIKE 'run-%' ORDER BY id")
        return {signature: (name, content) for signature, name, content in rows}

    def redact_configs(self, platforms: Platforms) -> int:
        """Redact again, by the current rules, the configurations earlier runs stored; the number changed.

        Each configuration is redacted for the platform of every device it was stored for
        (every family's rules for a device no longer in ``platforms``), in one transaction;
        a changed one is stored under its new digest and the runs pointing at it follow,
        and the old text is overwritten on disk (``secure_delete``), not just unlinked. The
        rules' digest is recorded, so this reads the configurations once per rule change.
        """
        try:
            self.conn.execute("CREATE TABLE IF NOT EXISTS redaction (what TEXT PRIMARY KEY, rules TEXT NOT NULL)")
            row = self.conn.execute("SELECT rules FROM redaction WHERE what = 'configs'").fetchone()
            if row is not None and row[0] == RULES_DIGEST:
                return 0
            self.conn.execute("PRAGMA secure_delete = ON")
        except sqlite3.Error as e:
            raise StoreError(f"cannot write history store {self.path}: {_explain(e)}") from None
        changed = 0
        try:
            with self._transaction() as db:
                owners: dict[str, set[str]] = {}
                for cdigest, device in db.execute(
                        "SELECT config_digest, device FROM device_runs WHERE config_digest IS NOT NULL UNION"
                        " SELECT config_digest, device FROM last_success WHERE config_digest IS NOT NULL"):
                    owners.setdefault(cdigest, set()).add(device)
                for (old,) in db.execute("SELECT digest FROM configs").fetchall():
                    text = db.execute("SELECT text FROM configs WHERE digest = ?", (old,)).fetchone()[0]
                    new = text
                    for platform in sorted({platforms.get(d, "unknown") for d in owners.get(old, {""})}):
                        new = redact_config(platform, new)
                    if new == text:
                        continue
                    fresh = digest(new)
                    db.execute("INSERT OR IGNORE INTO configs VALUES (?, ?)", (fresh, new))
                    db.execute("UPDATE device_runs SET config_digest = ? WHERE config_digest = ?", (fresh, old))
                    db.execute("UPDATE last_success SET config_digest = ? WHERE config_digest = ?", (fresh, old))
                    db.execute("DELETE FROM configs WHERE digest = ?", (old,))
                    changed += 1
                db.execute("INSERT OR REPLACE INTO redaction VALUES ('configs', ?)", (RULES_DIGEST,))
        finally:
            self.conn.execute("PRAGMA secure_delete = OFF")
        if changed:  # the old pages now zeroed in the WAL: into the database file with them
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return changed

    def redact_archives(self, platforms: Platforms | None = None) -> list[str]:
        """Rewrite redacted every archive not redacted by the current rules; return their names.

        Call it under the store lock (as a run does). See :func:`redact_archives`.
        """
        try:
            return redact_archives(self.archive_dir, platforms)
        except OSError as e:
            raise StoreError(f"cannot redact the archives in {self.archive_dir}: {_explain(e)}") from None

    def prune(self, keep_runs: int) -> list[int]:
        """Keep the newest ``keep_runs`` runs (and every device's last success); return removed ids."""
        if keep_runs < 1:
            raise StoreError("--keep-runs must be at least 1")
        ids = [r[0] for r in self.conn.execute("SELECT id FROM runs ORDER BY id DESC")]
        doomed = ids[keep_runs:]
        if not doomed:
            return []
        pinned = {r[0] for r in self.conn.execute("SELECT run_id FROM last_success")}
        doomed = [i for i in doomed if i not in pinned]
        archives = [self.conn.execute("SELECT archive FROM runs WHERE id = ?", (i,)).fetchone()[0] for i in doomed]
        with self._transaction() as db:
            db.executemany("DELETE FROM runs WHERE id = ?", [(i,) for i in doomed])
            db.execute("DELETE FROM configs WHERE digest NOT IN (SELECT config_digest FROM device_runs"
                       " WHERE config_digest IS NOT NULL) AND digest NOT IN (SELECT config_digest FROM"
                       " last_success WHERE config_digest IS NOT NULL)")
        for name in archives:
            if name:
                (self.archive_dir / name).unlink(missing_ok=True)
        return sorted(doomed)

    def clean_pending(self) -> None:
        """Finish the archive of a run killed between its COMMIT and the archive's rename, then
        remove the archives of runs killed before they were recorded (and half-written ones)."""
        if not self.archive_dir.is_dir():
            return
        try:
            unfinished = self.conn.execute("SELECT id, archive FROM runs WHERE archive LIKE '.pending-%'").fetchall()
            for run_id, name in unfinished:
                pending, final = self.archive_dir / name, self.archive_dir / f"run-{run_id}.tar.gz"
                if pending.is_file():
                    os.replace(pending, final)
                    fsync_dir(self.archive_dir)
                with self._transaction() as db:
                    db.execute("UPDATE runs SET archive = ? WHERE id = ?",
                               (final.name if final.is_file() else None, run_id))
            for stray in self.archive_dir.glob(".pending-*"):
                stray.unlink(missing_ok=True)
        except (sqlite3.Error, OSError) as e:
            raise StoreError(f"cannot tidy the archives in {self.archive_dir}: {_explain(e)}") from None

    # -- reading ------------------------------------------------------------------------
    def last_run_id(self) -> int | None:
        row = self.conn.execute("SELECT max(id) FROM runs").fetchone()
        return row[0]

    def runs(self) -> list[RunSummary]:
        rows = self.conn.execute(
            "SELECT r.id, r.started, r.finished, r.devices, r.failed, r.degraded, r.inventory,"
            " (SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.status = 'open')"
            " FROM runs r ORDER BY r.id")
        return [RunSummary(id=i, started=s, finished=f, devices=d, failed=x, degraded=bool(g),
                           findings=n, inventory=inv) for i, s, f, d, x, g, inv, n in rows]

    def run(self, run_id: int) -> RunRecord:
        """Read a run back; unknown ids raise StoreError."""
        row = self.conn.execute(
            "SELECT started, finished, inventory, captures, inventory_digest, facts_digest, degraded,"
            " archive FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            known = ", ".join(str(r.id) for r in self.runs()) or "none"
            raise StoreError(f"no run {run_id} in {self.path} (runs: {known})")
        started, finished, inv, caps, idig, fdig, degraded, archive = row
        status: dict[str, tuple[str, str | None]] = {}
        configs: dict[str, str] = {}
        current = self._configs_current()
        for device, st, error, text in self.conn.execute(
                "SELECT d.device, d.status, d.error, c.text FROM device_runs d LEFT JOIN configs c"
                " ON c.digest = d.config_digest WHERE d.run_id = ?", (run_id,)):
            status[device] = (st, error)
            if text is not None:
                configs[device] = text if current else redact_config("unknown", text)
        findings = [json.loads(d) for (d,) in self.conn.execute(
            "SELECT data FROM findings WHERE run_id = ? ORDER BY key", (run_id,))]
        entities: dict[str, list[str]] = {}
        for kind, i in self.conn.execute(
                "SELECT kind, id FROM entities WHERE run_id = ? ORDER BY kind, id", (run_id,)):
            entities.setdefault(kind, []).append(i)
        return RunRecord(started, finished, inv, caps, idig, fdig, status, configs, findings, entities,
                         degraded=bool(degraded), id=run_id, archive=archive)

    def resolve(self, ref: str) -> int:
        """A run reference: ``last``, ``previous``, or a run id."""
        ids = [r[0] for r in self.conn.execute("SELECT id FROM runs ORDER BY id DESC LIMIT 2")]
        if ref == "last" and ids:
            return ids[0]
        if ref == "previous" and len(ids) > 1:
            return ids[1]
        if ref.isdigit():
            self.run(int(ref))  # raises for unknown ids
            return int(ref)
        raise StoreError(f"no run {ref!r} in {self.path} (use a run id, 'last' or 'previous')")

    def runs_since_success(self, devices: Iterable[str]) -> dict[str, int]:
        """For each device: how many recorded runs since it was last collected successfully."""
        # One grouped query, not two per device: a city has thousands of devices.
        counts = dict(self.conn.execute(
            "SELECT d.device, count(*) FROM device_runs d LEFT JOIN last_success l ON l.device = d.device"
            " WHERE d.run_id > coalesce(l.run_id, 0) GROUP BY d.device"))
        return {device: counts.get(device, 0) for device in devices}

    def utilisation_samples(self) -> dict[str, list[tuple[str, float, float, str]]]:
        """Every retained run's utilisation samples: circuit -> [(ISO time, in, out, source)] in time order."""
        out: dict[str, list[tuple[str, float, float, str]]] = {}
        for circuit, at, in_mbps, out_mbps, source in self.conn.execute(
                "SELECT circuit, at, in_mbps, out_mbps, source FROM utilisation ORDER BY circuit, at"):
            out.setdefault(circuit, []).append((at, in_mbps, out_mbps, source))
        return out

    def last_success(self, device: str) -> tuple[int, str, str | None] | None:
        """(run id, finished, config) of a device's last successful collection, if any."""
        row = self.conn.execute(
            "SELECT l.run_id, l.finished, c.text FROM last_success l LEFT JOIN configs c"
            " ON c.digest = l.config_digest WHERE l.device = ?", (device,)).fetchone()
        if row is None:
            return None
        run_id, finished, text = row
        if text is not None and not self._configs_current():
            text = redact_config("unknown", text)
        return run_id, finished, text

    def _configs_current(self) -> bool:
        """Whether the stored configurations were redacted by the current rules.

        Until a run redacts them again (:meth:`redact_configs`, which knows each device's
        platform), configurations are read through every family's rules: ``netcensus diff``
        on an upgraded store shows no secret older rules left.
        """
        try:
            row = self.conn.execute("SELECT rules FROM redaction WHERE what = 'configs'").fetchone()
        except sqlite3.Error:  # no such table: no run has redacted them again yet
            return False
        return row is not None and row[0] == RULES_DIGEST


def _archive_captures(archive_dir: Path, captures: Path, known: dict[str, tuple[str, str]],
                      platforms: Platforms | None = None) -> tuple[Path, str, str]:
    """Archive a capture folder, redacted, under a temporary name: (path, signature, content digest).

    A nightly run often finds the captures of the previous run unchanged. When the
    folder's signature (names, sizes, modification times, the platforms and the redaction
    rules) matches an archived run's (``known``, from :meth:`SQLiteStore._archived`), its
    content digest is checked too, and on a match that archive is hard-linked (copied
    where links are not possible) instead of compressed again. Archives of earlier runs
    not redacted by the current rules are then rewritten (:func:`redact_archives`).
    """
    try:
        archive_dir.mkdir(parents=True, exist_ok=True)
        tmp = archive_dir / f".pending-{digest(f'{os.getpid()}-{time.time_ns()}')[:12]}.tar.gz"
        signature = captures_signature(captures, platforms)
        name, content = known.get(signature, (None, None))
        if name is not None and (archive_dir / name).is_file() and captures_digest(captures, platforms) == content:
            _link_or_copy(archive_dir / name, tmp)
        else:
            content = write_archive(captures, tmp, platforms)
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
        redact_archives(archive_dir, platforms)
        return tmp, signature, content
    except OSError as e:
        raise StoreError(f"cannot archive captures into {archive_dir}: {_explain(e)}") from None


def redact_archives(archive_dir: Path, platforms: Platforms | None = None) -> list[str]:
    """Migrate the run archives of ``archive_dir`` that the current rules did not redact.

    Each is rewritten redacted under a temporary name, flushed to disk, then renamed over
    the original (atomic): a run killed meanwhile leaves the original whole and a
    ``.pending-*`` file the next run removes (:meth:`SQLiteStore.clean_pending`). Names that
    share one file (reused archives, hard links) are rewritten once and linked again.
    Safe to repeat: an archive carrying the current mark is not touched, and redacting
    redacted text changes nothing. Returns the names rewritten.
    """
    if not archive_dir.is_dir():
        return []
    done: dict[tuple[int, int], Path] = {}  # (device, inode) of an original -> its redacted file
    migrated = []
    for path in sorted(archive_dir.glob("run-*.tar.gz")):
        if read_archive_mark(path) == archive_mark():
            continue
        info = path.stat()
        tmp = archive_dir / f".pending-migrate-{digest(f'{os.getpid()}-{time.time_ns()}')[:12]}.tar.gz"
        try:
            if (info.st_dev, info.st_ino) in done:
                _link_or_copy(done[(info.st_dev, info.st_ino)], tmp)
            else:
                migrate_archive(path, tmp, platforms)
                with open(tmp, "rb") as handle:
                    os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        done[(info.st_dev, info.st_ino)] = path
        migrated.append(path.name)
    if migrated:
        fsync_dir(archive_dir)
    return migrated


_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def die_with_parent(parent: int) -> None:
    """Process-pool initializer: the kernel kills this worker when its parent dies (Linux).

    A forked worker inherits the store lock's file descriptor. One outliving a killed audit
    (blocked for ever on a result pipe nobody reads) would hold the lock and refuse every
    later run; with this it dies with the audit. Elsewhere only the race check applies.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the request above took effect


def _archive_worker(parent: int) -> None:
    """Initializer of the background archive process (see :meth:`SQLiteStore.start_archive`)."""
    die_with_parent(parent)
    with contextlib.suppress(OSError):
        os.nice(10)


@dataclass(frozen=True)
class PendingArchive:
    """A capture archive being written by :meth:`SQLiteStore.start_archive`."""

    future: Future[tuple[Path, str, str]]

    def result(self) -> tuple[Path, str, str]:
        """Wait for it: (temporary path, signature, content digest); raises :class:`StoreError`."""
        try:
            return self.future.result()
        except StoreError:
            raise
        except Exception as e:  # the archive process died (killed, out of memory)
            raise StoreError(f"the capture archive could not be written: {type(e).__name__}: {e}") from None

    def discard(self) -> None:
        """Wait for it and delete it, unless :meth:`SQLiteStore.record` already took it."""
        try:
            path = self.future.result()[0]
        except StoreError:
            return  # nothing was left behind
        path.unlink(missing_ok=True)


#: How deep the archive follows folders. The deepest capture file is
#: ``captures/<group>/configs/<device>[/<file>]``; a hostile chain of folders thousands
#: deep is left out at this depth (walking it overflowed the interpreter's stack).
MAX_CAPTURE_DEPTH = 16


def _capture_entries(captures: Path, skipped: Callable[[str, str], None] | None = None
                     ) -> Iterator[tuple[str, str, os.stat_result]]:
    """``(name in the archive, path, lstat)`` of a capture folder, as ``tar`` adds it.

    Depth first, names sorted, a folder before its contents; ``.tmp`` files (interrupted
    writes) are left out. A folder deeper than :data:`MAX_CAPTURE_DEPTH`, or an entry
    that cannot be listed, is left out too and told to ``skipped(name, why)``; ``OSError``
    when the capture folder itself cannot be.
    """
    def skip(arcname: str, why: str) -> None:
        if skipped is not None:
            skipped(arcname, why)

    # An explicit stack, not recursion: the depth of a folder tree is the adversary's choice.
    stack: list[Iterator[tuple[str, str, int]]] = [iter([(str(captures), "captures", 0)])]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        path, arcname, depth = item
        try:
            info = os.lstat(path)
        except OSError as e:
            if depth == 0:
                raise  # the capture folder itself: no archive at all
            skip(arcname, f"unreadable: {e.strerror or e}")
            continue
        if not stat.S_ISDIR(info.st_mode):
            yield arcname, path, info
            continue
        if depth >= MAX_CAPTURE_DEPTH:
            skip(arcname, f"a folder more than {MAX_CAPTURE_DEPTH} levels deep")
            continue
        try:
            names = sorted(os.listdir(path))
        except OSError as e:  # an unreadable folder fails its device in the audit; the run goes on
            if depth == 0:
                raise
            skip(arcname, f"unreadable: {e.strerror or e}")
            continue
        yield arcname, path, info
        stack.append(iter([(os.path.join(path, name), f"{arcname}/{name}", depth + 1)
                           for name in names if not name.endswith(".tmp")]))


def _read_regular(path: str, limit: int) -> bytes:
    """At most ``limit`` bytes of the regular file ``path``; ``OSError`` for anything else.

    Opened without following a link and without blocking, then checked on the open file:
    what was a regular file when listed may have been swapped for a FIFO (which would hang
    the run holding the store lock) or a link leading outside.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: no longer a regular file")
        return handle.read(limit)


def captures_signature(captures: Path, platforms: Platforms | None = None) -> str:
    """A cheap fingerprint of a capture folder: names, kinds, sizes and modification times,
    and what its archive's redaction depends on (each file's platform, the rules)."""
    h = hashlib.sha256(archive_mark().encode())
    for arcname, _, info in _capture_entries(captures):
        platform = platform_of(arcname, platforms)
        h.update(f"{arcname}\0{platform}\0{stat.S_IFMT(info.st_mode)}\0{info.st_size}\0{info.st_mtime_ns}\n"
                 .encode())
    return h.hexdigest()


def _hash_entry(h: hashlib._Hash, arcname: str, kind: int, data: bytes) -> None:
    h.update(f"{arcname}\0{kind}\0{len(data)}\0".encode())
    h.update(data)


def _entry_content(arcname: str, path: str, info: os.stat_result, platforms: Platforms | None,
                   leave_out: Callable[[str, str], None] | None = None) -> tuple[bytes, str] | None:
    """What an entry adds to the content digest: ``(data, platform)`` (the platform is
    ``""`` for a folder or link), or None when it is not archived (told to ``leave_out``).

    The one definition :func:`captures_digest` and :func:`write_archive` share: the digest
    of an unchanged folder must equal its archive's for that archive to be reused.
    """
    if stat.S_ISREG(info.st_mode):
        if info.st_size > MAX_ARCHIVED_BYTES:
            if leave_out is not None:
                leave_out(arcname, f"larger than {MAX_ARCHIVED_BYTES >> 20} MiB")
            return None  # not even read: a capture this size is no device output
        try:
            data = _read_regular(path, MAX_ARCHIVED_BYTES + 1)
        except OSError as e:  # the audit reports it for its device; the run goes on
            if leave_out is not None:
                leave_out(arcname, f"unreadable: {e.strerror or e}")
            return None
        return data, platform_of(arcname, platforms)
    if stat.S_ISDIR(info.st_mode):
        return b"", ""
    if stat.S_ISLNK(info.st_mode):
        return os.readlink(path).encode(), ""
    if leave_out is not None:
        leave_out(arcname, "not a regular file")  # sockets, devices, pipes
    return None


def _hash_content(h: hashlib._Hash, arcname: str, info: os.stat_result, data: bytes, platform: str) -> None:
    """A file is hashed with its platform (its redaction depends on it); a folder or link without."""
    name = f"{arcname}\0{platform}" if stat.S_ISREG(info.st_mode) else arcname
    _hash_entry(h, name, stat.S_IFMT(info.st_mode), data)


def captures_digest(captures: Path, platforms: Platforms | None = None) -> str:
    """The content digest of a capture folder: what :func:`write_archive` returns for it."""
    h = hashlib.sha256(archive_mark().encode())
    for arcname, path, info in _capture_entries(captures):
        content = _entry_content(arcname, path, info, platforms)
        if content is not None:
            _hash_content(h, arcname, info, *content)
    return h.hexdigest()


def write_archive(captures: Path, target: Path, platforms: Platforms | None = None) -> str:
    """Write a capture folder, redacted, to ``target`` as ``tar.gz`` (under ``captures/``); return
    the content digest of the folder as it is (what :func:`captures_digest` computes).

    Every file is redacted for its device's platform (:mod:`netcensus.archive_redaction`);
    one that cannot be redacted, or is not a regular file, is left out and named in the
    archive's ``REDACTION.json``. The entries are built from one ``lstat`` each (no
    owner-name lookups) and the compressor is fed megabyte blocks, not three small
    writes per file: about twice as fast as ``TarFile.add`` on a city's tens of thousands
    of files.
    """
    h = hashlib.sha256(archive_mark().encode())
    listing = Listing()
    raw, gz, buffered, tar = open_marked(target)
    newest = 0
    try:
        for arcname, path, info in _capture_entries(captures, listing.leave_out):
            entry = tarfile.TarInfo(arcname)
            entry.mode, entry.mtime = stat.S_IMODE(info.st_mode), int(info.st_mtime)
            entry.uid, entry.gid = info.st_uid, info.st_gid
            newest = max(newest, entry.mtime)
            content = _entry_content(arcname, path, info, platforms, listing.leave_out)
            if content is None:
                continue
            data, platform = content
            _hash_content(h, arcname, info, data, platform)  # the folder as it is, before redaction
            if stat.S_ISREG(info.st_mode):
                redacted, why = redact_capture(arcname, data, platform)
                if redacted is None:
                    listing.leave_out(arcname, why or "cannot be redacted")
                    continue
                entry.size = len(redacted)
                tar.addfile(entry, io.BytesIO(redacted))
                continue
            if stat.S_ISDIR(info.st_mode):
                entry.type = tarfile.DIRTYPE
            else:
                entry.type, entry.linkname = tarfile.SYMTYPE, data.decode()
            tar.addfile(entry)
        add_listing(tar, listing, newest)
    finally:
        for closing in (tar, buffered, gz, raw):
            closing.close()  # type: ignore[attr-defined]
    return h.hexdigest()


def _link_or_copy(source: Path, target: Path) -> None:
    """Give ``source``'s content a second name: a hard link, or a copy where links fail."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _explain(e: BaseException) -> str:
    text = str(e)
    if (isinstance(e, OSError) and e.errno == 28) or "disk is full" in text or "database or disk is full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text or isinstance(e, PermissionError):
        return "the store is read-only (check the path's permissions)"
    return text


@dataclass
class StoreLock:
    """An exclusive lock on a store, held for a whole run.

    ``flock`` is released by the kernel when the holder dies, so a lock file left by a
    killed run is stale by construction: the next run takes it over and says so.
    """

    path: Path
    stale_pid: int | None = field(default=None, init=False)
    _fd: int | None = field(default=None, init=False, repr=False)

    def acquire(self) -> StoreLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StoreError(f"cannot create lock {self.path}: {_explain(e)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StoreError(f"another netcensus run holds the store lock {self.path} ({holder}); "
                             "wait for it to finish") from None
        previous = os.pread(fd, 200, 0).decode(errors="replace").split()
        if previous and previous[0].startswith("pid="):
            with contextlib.suppress(ValueError):
                self.stale_pid = int(previous[0][4:])  # its holder died without releasing it
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid={os.getpid()} started={dt.datetime.now(dt.UTC).isoformat()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)  # an empty lock file means "released cleanly"
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> StoreLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def remove_store(path: Path) -> None:
    """Delete a store and its archives (tests and ``--store`` resets)."""
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(Path(f"{path}.runs"), ignore_errors=True)
