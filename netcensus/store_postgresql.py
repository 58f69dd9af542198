"""The history store on PostgreSQL: the same :class:`~netcensus.store.Store` as SQLite, shared.

A province records its nightly runs from more than one host, and planners and dashboards
read the history meanwhile: one PostgreSQL database holds it. What differs from
:class:`~netcensus.store.SQLiteStore`:

- the lock is a session-level ``pg_try_advisory_lock`` held by the run's connection
  (:meth:`PostgresStore.lock`); the server releases it when that session ends, so a killed
  run leaves no stale lock (the ``flock`` guarantee, across hosts);
- the schema version is a row of ``netcensus_meta``, migrations (:data:`MIGRATIONS`) run
  under a transaction-level advisory lock, each in its own transaction;
- run ids come from a counter row updated in the run's transaction: a run that fails
  leaves no gap, as with SQLite;
- the capture archives stay outside the database, in a folder (``archives``), written and
  renamed exactly as SQLite's (:func:`netcensus.store._archive_captures`).

The connection string (DSN) may carry a password: it is never logged, printed or put in a
report or error message; :func:`describe_dsn` is what is shown instead, and every message
from the server or driver goes through :meth:`PostgresStore._scrub`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from collectors.redact import RULES_DIGEST, redact_config
from netcensus.archive_redaction import fsync_dir
from netcensus.store import (
    PendingArchive,
    Platforms,
    RunRecord,
    RunSummary,
    StoreError,
    _archive_captures,
    _archive_worker,
    digest,
    redact_archives,
    run_before_commit,
    run_transaction_outcome,
)

#: Migrations: MIGRATIONS[n] takes a store from schema version n to n + 1 (one transaction each).
#: Timestamps stay ISO text and configurations bytes, so a run reads back exactly as written.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE netcensus_meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
    INSERT INTO netcensus_meta VALUES ('last_run_id', 0);
    CREATE TABLE runs (
        id BIGINT PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT NOT NULL,
        inventory TEXT NOT NULL,
        captures TEXT,
        inventory_digest TEXT NOT NULL,
        facts_digest TEXT NOT NULL,
        devices INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        degraded BOOLEAN NOT NULL,
        archive TEXT,
        captures_signature TEXT,
        captures_digest TEXT
    );
    CREATE TABLE configs (digest TEXT PRIMARY KEY, text BYTEA NOT NULL);
    CREATE TABLE device_runs (
        run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        device TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT,
        config_digest TEXT,
        PRIMARY KEY (run_id, device)
    );
    CREATE INDEX device_runs_device ON device_runs (device, run_id);
    CREATE TABLE last_success (
        device TEXT PRIMARY KEY,
        run_id BIGINT NOT NULL,
        finished TEXT NOT NULL,
        config_digest TEXT
    );
    CREATE TABLE findings (
        run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        data JSON NOT NULL,
        PRIMARY KEY (run_id, key)
    );
    CREATE TABLE entities (
        run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        PRIMARY KEY (run_id, kind, id)
    );
    CREATE TABLE utilisation (
        run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        circuit TEXT NOT NULL,
        at TEXT NOT NULL,
        in_mbps DOUBLE PRECISION NOT NULL,
        out_mbps DOUBLE PRECISION NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (run_id, circuit)
    );
    CREATE TABLE redaction (what TEXT PRIMARY KEY, rules TEXT NOT NULL);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

#: The environment variable and file that give a DSN outside the command line.
DSN_ENV = "NETCENSUS_STORE_DSN"
DSN_FILE_ENV = "NETCENSUS_STORE_DSN_FILE"
SCHEMES = ("postgresql://", "postgres://")


def _lock_key(what: str) -> int:
    """A signed 64-bit advisory lock key, the same on every host for ``what``."""
    return int.from_bytes(hashlib.sha256(f"netcensus:{what}".encode()).digest()[:8], "big", signed=True)


RUN_LOCK = _lock_key("store run")  # held by a run's session for the whole run
MIGRATION_LOCK = _lock_key("store migration")  # held by a migrating transaction


def is_postgresql(spec: object) -> bool:
    """Whether a ``--store`` value names a PostgreSQL store (a URL, or ``postgresql`` alone)."""
    text = str(spec) if spec is not None else ""
    return text in ("postgresql", "postgres") or text.startswith(SCHEMES)


def describe_dsn(dsn: str) -> str:
    """A DSN as it may be shown: ``postgresql://user@host:port/dbname``, never its password.

    >>> describe_dsn("postgresql://audit:s3cret@db.example:5433/netcensus?sslmode=require")
    'postgresql://audit@db.example:5433/netcensus'
    >>> describe_dsn("host=/run/pg dbname=h user=a password=s3cret")
    'postgresql://a@/run/pg/h'
    """
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(dsn)
    except Exception:
        return "postgresql://(unreadable connection string)"
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{parts.get('host', '')}{port}/{parts.get('dbname', '')}"


def dsn_password(dsn: str) -> str | None:
    """The password a DSN carries, if any (to scrub it from messages)."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        return conninfo_to_dict(dsn).get("password") or None
    except Exception:
        return None


def resolve_dsn(spec: str, environ: dict[str, str] | None = None) -> str:
    """The DSN a ``--store`` value stands for.

    ``postgresql`` alone (or ``postgresql://`` with nothing after it) takes the DSN from
    ``$NETCENSUS_STORE_DSN``, else from the file named by ``$NETCENSUS_STORE_DSN_FILE``
    (readable by its owner only, like the credentials file). A full URL is used as it is,
    but not with a password in it: every local user can read a command line (``ps``);
    libpq's own ``PGPASSWORD``/``~/.pgpass`` work beside it.
    """
    env = os.environ if environ is None else environ
    if spec not in ("postgresql", "postgres", *SCHEMES):
        if dsn_password(spec) is not None:
            raise StoreError(f"--store {describe_dsn(spec)}: a password on the command line is visible to "
                             f"every user of this host; give the DSN in ${DSN_ENV} or a 0600 file named by "
                             f"${DSN_FILE_ENV} (or the password in ~/.pgpass)")
        return spec
    if env.get(DSN_ENV):
        return env[DSN_ENV].strip()
    if env.get(DSN_FILE_ENV):
        return _read_dsn_file(Path(env[DSN_FILE_ENV]))
    raise StoreError(f"--store {spec}: set ${DSN_ENV} to the store's connection string, or ${DSN_FILE_ENV} "
                     "to a file holding it (mode 0600)")


def _read_dsn_file(path: Path) -> str:
    """The DSN in ``path``: one line, the file readable by its owner only."""
    try:
        info = path.stat()
        if info.st_mode & 0o077:
            raise StoreError(f"{path}: the store's connection string file must be readable by its owner "
                             f"only (chmod 600 {path}); it is {oct(info.st_mode & 0o777)}")
        if info.st_uid != os.geteuid():
            raise StoreError(f"{path}: the store's connection string file must belong to the user running "
                             f"netcensus (uid {os.geteuid()}), not uid {info.st_uid}")
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#")]
    except OSError as e:
        raise StoreError(f"cannot read the store's connection string file {path}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise StoreError(f"{path}: the store's connection string file is not UTF-8 text") from None
    if len(lines) != 1:
        raise StoreError(f"{path}: expected one line, the store's connection string; found {len(lines)}")
    return lines[0]


def _text(value: str | None) -> str | None:
    """PostgreSQL text holds no NUL character; a hostile capture may put one in an error."""
    return value.replace("\x00", "\\x00") if value is not None else None


class PostgresStore:
    """The shared history store: tables in PostgreSQL, capture archives in ``archives``.

    ``dsn`` is a libpq connection string or URL (see :func:`resolve_dsn`). Opening it
    connects and migrates the schema; :meth:`lock` takes the run lock (the nightly job
    holds it for the whole run, then records).
    """

    def __init__(self, dsn: str, archives: Path | str):
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        self._psycopg = psycopg
        try:
            conninfo_to_dict(dsn)
        except psycopg.Error:  # libpq's message quotes the text around the mistake: maybe the password
            raise StoreError("cannot open the history store: its connection string is neither a "
                             "postgresql:// URL nor libpq's key=value form (not shown: it may hold a password)"
                             ) from None
        self.dsn_shown = describe_dsn(dsn)
        self._secrets = [s for s in (dsn_password(dsn), dsn) if s]
        self.archive_dir = Path(archives)
        self.path = self.dsn_shown  # what messages name, as SQLiteStore.path
        try:
            self.conn = psycopg.connect(
                dsn, autocommit=True, connect_timeout=30,
                application_name=f"netcensus pid={os.getpid()} host={socket.gethostname()}"[:63])
        except psycopg.Error as e:
            raise StoreError(f"cannot open history store {self.dsn_shown}: {self._scrub(e)}") from None
        try:
            self._migrate()
        except BaseException:
            self.conn.close()
            raise

    # -- messages -----------------------------------------------------------------------
    def _scrub(self, e: BaseException | str) -> str:
        """A server or driver message without the DSN or its password in it."""
        text = str(e).strip() or type(e).__name__
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except self._psycopg.Error as e:
            raise StoreError(f"cannot {doing} history store {self.dsn_shown}: {self._scrub(e)}") from None

    # -- schema -------------------------------------------------------------------------
    def _migrate(self) -> None:
        with self._errors("migrate"):
            for _ in range(len(MIGRATIONS) + 1):
                with self.conn.transaction():
                    self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                    version = self._schema_version()
                    if version > SCHEMA_VERSION:
                        raise StoreError(f"{self.dsn_shown} has schema version {version}; this netcensus "
                                         f"knows up to {SCHEMA_VERSION}: upgrade netcensus")
                    if version == SCHEMA_VERSION:
                        return
                    self.conn.execute(MIGRATIONS[version])  # several statements: only without parameters
                    self.conn.execute("INSERT INTO netcensus_meta VALUES ('schema_version', %s) ON CONFLICT (key)"
                                      " DO UPDATE SET value = excluded.value", (version + 1,))

    def _schema_version(self) -> int:
        exists = self.conn.execute("SELECT to_regclass('netcensus_meta') IS NOT NULL").fetchone()[0]
        if not exists:
            return 0
        row = self.conn.execute("SELECT value FROM netcensus_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def schema_version(self) -> int:
        """The schema version the database is at."""
        with self._errors("read"):
            return self._schema_version()

    # -- the run lock ---------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[PostgresStore]:
        """Hold the store's run lock (refused with :class:`StoreError` while another run has it)."""
        with self._errors("lock"):
            taken = self.conn.execute("SELECT pg_try_advisory_lock(%s)", (RUN_LOCK,)).fetchone()[0]
            if not taken:
                holder = self.conn.execute(
                    "SELECT a.application_name, a.client_addr::text, a.backend_start::text FROM pg_locks l"
                    " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                    " AND l.objid::bigint = (%s::bigint & 4294967295)"
                    " AND l.classid::bigint = ((%s::bigint >> 32) & 4294967295)"
                    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                    (RUN_LOCK, RUN_LOCK)).fetchone()
                who = (f"{holder[0] or 'unknown'} from {holder[1] or 'a local socket'} since {holder[2]}"
                       if holder else "unknown")
                raise StoreError(f"another netcensus run holds the store lock on {self.dsn_shown} ({who}); "
                                 "wait for it to finish")
        try:
            yield self
        finally:
            with contextlib.suppress(self._psycopg.Error):
                self.conn.execute("SELECT pg_advisory_unlock(%s)", (RUN_LOCK,))

    def close(self) -> None:
        self.conn.close()  # a lock still held goes with the session

    # -- writing ------------------------------------------------------------------------
    def record(self, run: RunRecord, captures: Path | None = None, *,
               archive: PendingArchive | None = None,
               before_commit: Callable[[int], object] | None = None,
               platforms: Platforms | None = None) -> int:
        """Record a run (and archive its captures); returns the run id. All or nothing.

        As :meth:`netcensus.store.SQLiteStore.record`: ``before_commit(run_id)`` runs in
        the run's transaction (the run readable through this store); if it raises, nothing
        is recorded and its exception is raised as it is.
        """
        if platforms is not None:
            self.redact_configs(platforms)
        if archive is not None:
            pending, signature, content = archive.result()
        elif captures:
            pending, signature, content = _archive_captures(self.archive_dir, captures, self._archived(), platforms)
        else:
            pending = signature = content = None
        with run_transaction_outcome(pending), self._errors("write"), self.conn.transaction():
            cur = self.conn.cursor()
            run_id = int(cur.execute("UPDATE netcensus_meta SET value = value + 1 WHERE key = 'last_run_id'"
                                     " RETURNING value").fetchone()[0])
            cur.execute(
                "INSERT INTO runs (id, started, finished, inventory, captures, inventory_digest, facts_digest,"
                " devices, failed, degraded, archive, captures_signature, captures_digest)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                (run_id, run.started, run.finished, _text(run.inventory), _text(run.captures),
                 run.inventory_digest, run.facts_digest, len(run.device_status), len(run.failed),
                 run.degraded, pending.name if pending else None, signature, content))
            configs, device_rows, successes = {}, [], []
            for device, (status, error) in sorted(run.device_status.items()):
                config = run.configs.get(device)
                cdigest = digest(config) if config is not None else None
                if config is not None:
                    configs[cdigest] = config.encode("utf-8", "surrogatepass")
                device_rows.append((run_id, _text(device), status, _text(error), cdigest))
                if status in ("ok", "partial"):
                    successes.append((_text(device), run_id, run.finished, cdigest))
            cur.executemany("INSERT INTO configs VALUES (%s, %s) ON CONFLICT DO NOTHING", list(configs.items()))
            cur.executemany("INSERT INTO device_runs VALUES (%s,%s,%s,%s,%s)", device_rows)
            cur.executemany("INSERT INTO last_success VALUES (%s,%s,%s,%s) ON CONFLICT (device) DO UPDATE"
                            " SET run_id = excluded.run_id, finished = excluded.finished,"
                            " config_digest = excluded.config_digest", successes)
            cur.executemany("INSERT INTO findings VALUES (%s,%s,%s,%s,%s) ON CONFLICT (run_id, key) DO UPDATE"
                            " SET severity = excluded.severity, status = excluded.status, data = excluded.data",
                            [(run_id, _text(f["key"]), f["severity"], f["status"],
                              json.dumps(f, ensure_ascii=False, default=str)) for f in run.findings])
            cur.executemany("INSERT INTO entities VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                            [(run_id, kind, _text(i)) for kind, ids in run.entities.items() for i in ids])
            cur.executemany("INSERT INTO utilisation VALUES (%s,%s,%s,%s,%s,%s) ON CONFLICT (run_id, circuit)"
                            " DO UPDATE SET at = excluded.at, in_mbps = excluded.in_mbps,"
                            " out_mbps = excluded.out_mbps, source = excluded.source",
                            [(run_id, circuit, *sample) for circuit, sample in sorted(run.utilisation.items())])
            run_before_commit(before_commit, run_id)
        if pending:  # the archive's final name carries the run id
            final = self.archive_dir / f"run-{run_id}.tar.gz"
            os.replace(pending, final)
            fsync_dir(self.archive_dir)
            with self._errors("write"):
                self.conn.execute("UPDATE runs SET archive = %s WHERE id = %s", (final.name, run_id))
        return run_id

    def start_archive(self, captures: Path, platforms: Platforms | None = None) -> PendingArchive:
        """Begin archiving a capture folder in a background process (see ``SQLiteStore.start_archive``)."""
        known = self._archived()
        executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_archive_worker, initargs=(os.getpid(),))
        try:
            return PendingArchive(executor.submit(_archive_captures, self.archive_dir, captures, known,
                                                  dict(platforms) if platforms else None))
        finally:
            executor.shutdown(wait=False)

    def _archived(self) -> dict[str, tuple[str, str]]:
        """Capture signature -> (archive name, content digest) of the newest archived run of each."""
        with self._errors("read"):
            rows = self.conn.execute(
                "SELECT captures_signature, archive, captures_digest FROM runs WHERE captures_signature IS NOT NULL"
                " AND archive LIKE 'run-%' ORDER BY id").fetchall()
        return {signature: (name, content) for signature, name, content in rows}

    def redact_configs(self, platforms: Platforms) -> int:
        """Redact again, by the current rules, the configurations earlier runs stored; the number changed.

        As ``SQLiteStore.redact_configs``. PostgreSQL has no ``secure_delete``: the old
        row versions are dropped by ``VACUUM FULL configs`` after a change (the table is
        rewritten into a new file); WAL segments and backups keep them until recycled.
        """
        changed = 0
        with self._errors("write"):
            row = self.conn.execute("SELECT rules FROM redaction WHERE what = 'configs'").fetchone()
            if row is not None and row[0] == RULES_DIGEST:
                return 0
            with self.conn.transaction():
                owners: dict[str, set[str]] = {}
                for cdigest, device in self.conn.execute(
                        "SELECT config_digest, device FROM device_runs WHERE config_digest IS NOT NULL UNION"
                        " SELECT config_digest, device FROM last_success WHERE config_digest IS NOT NULL"):
                    owners.setdefault(cdigest, set()).add(device)
                for old, raw in self.conn.execute("SELECT digest, text FROM configs").fetchall():
                    text = bytes(raw).decode("utf-8", "surrogatepass")
                    new = text
                    for platform in sorted({platforms.get(d, "unknown") for d in owners.get(old, {""})}):
                        new = redact_config(platform, new)
                    if new == text:
                        continue
                    fresh = digest(new)
                    self.conn.execute("INSERT INTO configs VALUES (%s, %s) ON CONFLICT DO NOTHING",
                                      (fresh, new.encode("utf-8", "surrogatepass")))
                    self.conn.execute("UPDATE device_runs SET config_digest = %s WHERE config_digest = %s",
                                      (fresh, old))
                    self.conn.execute("UPDATE last_success SET config_digest = %s WHERE config_digest = %s",
                                      (fresh, old))
                    self.conn.execute("DELETE FROM configs WHERE digest = %s", (old,))
                    changed += 1
                self.conn.execute("INSERT INTO redaction VALUES ('configs', %s) ON CONFLICT (what)"
                                  " DO UPDATE SET rules = excluded.rules", (RULES_DIGEST,))
            if changed:  # outside any transaction, as VACUUM must be
                self.conn.execute("VACUUM FULL configs")
        return changed

    def redact_archives(self, platforms: Platforms | None = None) -> list[str]:
        """Rewrite redacted every archive not redacted by the current rules (under the run lock)."""
        try:
            return redact_archives(self.archive_dir, platforms)
        except OSError as e:
            raise StoreError(f"cannot redact the archives in {self.archive_dir}: {e.strerror or e}") from None

    def prune(self, keep_runs: int) -> list[int]:
        """Keep the newest ``keep_runs`` runs (and every device's last success); return removed ids."""
        if keep_runs < 1:
            raise StoreError("--keep-runs must be at least 1")
        with self._errors("write"), self.conn.transaction():
            doomed = [r[0] for r in self.conn.execute(
                "SELECT id FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT %s)"
                " AND id NOT IN (SELECT run_id FROM last_success) ORDER BY id", (keep_runs,))]
            if not doomed:
                return []
            archives = [r[0] for r in self.conn.execute(
                "SELECT archive FROM runs WHERE id = ANY(%s)", (doomed,)) if r[0]]
            self.conn.execute("DELETE FROM runs WHERE id = ANY(%s)", (doomed,))
            self.conn.execute(
                "DELETE FROM configs WHERE digest NOT IN (SELECT config_digest FROM device_runs"
                " WHERE config_digest IS NOT NULL) AND digest NOT IN (SELECT config_digest FROM"
                " last_success WHERE config_digest IS NOT NULL)")
        for name in archives:
            (self.archive_dir / name).unlink(missing_ok=True)
        return doomed

    def clean_pending(self) -> None:
        """Finish the archive of a run killed between its COMMIT and the archive's rename, then
        remove the archives of runs killed before they were recorded (and half-written ones)."""
        if not self.archive_dir.is_dir():
            return
        try:
            with self._errors("tidy"):
                unfinished = self.conn.execute(
                    "SELECT id, archive FROM runs WHERE archive LIKE '.pending-%'").fetchall()
                for run_id, name in unfinished:
                    pending, final = self.archive_dir / name, self.archive_dir / f"run-{run_id}.tar.gz"
                    if pending.is_file():
                        os.replace(pending, final)
                        fsync_dir(self.archive_dir)
                    self.conn.execute("UPDATE runs SET archive = %s WHERE id = %s",
                                      (final.name if final.is_file() else None, run_id))
            for stray in self.archive_dir.glob(".pending-*"):
                stray.unlink(missing_ok=True)
        except OSError as e:
            raise StoreError(f"cannot tidy the archives in {self.archive_dir}: {e.strerror or e}") from None

    # -- reading ------------------------------------------------------------------------
    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._errors("read"):
            return self.conn.execute(sql, params).fetchall()

    def last_run_id(self) -> int | None:
        return self._rows("SELECT max(id) FROM runs")[0][0]

    def runs(self) -> list[RunSummary]:
        rows = self._rows(
            "SELECT r.id, r.started, r.finished, r.devices, r.failed, r.degraded, r.inventory,"
            " (SELECT count(*) FROM findings f WHERE f.run_id = r.id AND f.status = 'open')"
            " FROM runs r ORDER BY r.id")
        return [RunSummary(id=int(i), started=s, finished=f, devices=d, failed=x, degraded=bool(g),
                           findings=int(n), inventory=inv) for i, s, f, d, x, g, inv, n in rows]

    def run(self, run_id: int) -> RunRecord:
        """Read a run back; unknown ids raise StoreError."""
        rows = self._rows(
            "SELECT started, finished, inventory, captures, inventory_digest, facts_digest, degraded,"
            " archive FROM runs WHERE id = %s", (run_id,))
        if not rows:
            known = ", ".join(str(r.id) for r in self.runs()) or "none"
            raise StoreError(f"no run {run_id} in {self.dsn_shown} (runs: {known})")
        started, finished, inv, caps, idig, fdig, degraded, archive = rows[0]
        status: dict[str, tuple[str, str | None]] = {}
        configs: dict[str, str] = {}
        current = self._configs_current()
        for device, st, error, raw in self._rows(
                "SELECT d.device, d.status, d.error, c.text FROM device_runs d LEFT JOIN configs c"
                " ON c.digest = d.config_digest WHERE d.run_id = %s", (run_id,)):
            status[device] = (st, error)
            if raw is not None:
                text = bytes(raw).decode("utf-8", "surrogatepass")
                configs[device] = text if current else redact_config("unknown", text)
        findings = [data for (data,) in self._rows(
            "SELECT data FROM findings WHERE run_id = %s ORDER BY key COLLATE \"C\"", (run_id,))]
        entities: dict[str, list[str]] = {}
        for kind, i in self._rows(
                "SELECT kind, id FROM entities WHERE run_id = %s ORDER BY kind COLLATE \"C\", id COLLATE \"C\"",
                (run_id,)):
            entities.setdefault(kind, []).append(i)
        return RunRecord(started, finished, inv, caps, idig, fdig, status, configs, findings, entities,
                         degraded=bool(degraded), id=run_id, archive=archive)

    def resolve(self, ref: str) -> int:
        """A run reference: ``last``, ``previous``, or a run id."""
        ids = [r[0] for r in self._rows("SELECT id FROM runs ORDER BY id DESC LIMIT 2")]
        if ref == "last" and ids:
            return int(ids[0])
        if ref == "previous" and len(ids) > 1:
            return int(ids[1])
        if ref.isdigit():
            self.run(int(ref))  # raises for unknown ids
            return int(ref)
        raise StoreError(f"no run {ref!r} in {self.dsn_shown} (use a run id, 'last' or 'previous')")

    def runs_since_success(self, devices: Iterable[str]) -> dict[str, int]:
        """For each device: how many recorded runs since it was last collected successfully."""
        counts = {d: int(n) for d, n in self._rows(
            "SELECT d.device, count(*) FROM device_runs d LEFT JOIN last_success l ON l.device = d.device"
            " WHERE d.run_id > coalesce(l.run_id, 0) GROUP BY d.device")}
        return {device: counts.get(device, 0) for device in devices}

    def utilisation_samples(self) -> dict[str, list[tuple[str, float, float, str]]]:
        """Every retained run's utilisation samples: circuit -> [(ISO time, in, out, source)] in time order."""
        out: dict[str, list[tuple[str, float, float, str]]] = {}
        for circuit, at, in_mbps, out_mbps, source in self._rows(
                "SELECT circuit, at, in_mbps, out_mbps, source FROM utilisation"
                " ORDER BY circuit COLLATE \"C\", at COLLATE \"C\""):
            out.setdefault(circuit, []).append((at, in_mbps, out_mbps, source))
        return out

    def last_success(self, device: str) -> tuple[int, str, str | None] | None:
        """(run id, finished, config) of a device's last successful collection, if any."""
        rows = self._rows(
            "SELECT l.run_id, l.finished, c.text FROM last_success l LEFT JOIN configs c"
            " ON c.digest = l.config_digest WHERE l.device = %s", (device,))
        if not rows:
            return None
        run_id, finished, raw = rows[0]
        text = bytes(raw).decode("utf-8", "surrogatepass") if raw is not None else None
        if text is not None and not self._configs_current():
            text = redact_config("unknown", text)
        return int(run_id), finished, text

    def _configs_current(self) -> bool:
        """Whether the stored configurations were redacted by the current rules (see SQLiteStore)."""
        rows = self._rows("SELECT rules FROM redaction WHERE what = 'configs'")
        return bool(rows) and rows[0][0] == RULES_DIGEST
