"""Real servers the distributed tests start themselves, each on a free port of 127.0.0.1.

PostgreSQL (:func:`start_postgresql`): ``initdb`` into a fresh folder, then ``postgres``
listening on 127.0.0.1 and a unix socket in that folder, password authentication only
(so a test proves the DSN's password is what lets it in). Run as the invoking user; as
root (CI) as the ``postgres`` user (else ``nobody``), since the server refuses root.

A missing binary skips the tests with the reason, or fails them when ``CI=true``
(:func:`unavailable`): CI must run them, not skip them quietly.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

POSTGRES_BIN_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")


def unavailable(reason: str) -> None:
    """Skip (fail when ``CI=true``) because a server the tests need cannot run here."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the distributed tests must run, not be skipped)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> str | None:
    """Who runs a server: None for the invoking user; ``postgres`` or ``nobody`` for root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


def _as(user: str | None, *cmd: str) -> list[str]:
    return ["runuser", "-u", user, "--", *cmd] if user else list(cmd)


def postgres_bin() -> Path | None:
    """The folder holding initdb and postgres (Debian's versioned one, or on PATH)."""
    for folder in (*POSTGRES_BIN_DIRS, os.environ.get("NETCENSUS_TEST_PG_BIN", "")):
        if folder and (Path(folder) / "initdb").is_file() and (Path(folder) / "postgres").is_file():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("postgres") else None


@dataclass
class PostgreSQLServer:
    """A throwaway PostgreSQL: superuser ``user`` with ``password``, on ``port`` of 127.0.0.1."""

    root: Path
    port: int
    user: str
    password: str
    process: subprocess.Popen[bytes]
    log: Path
    _databases: int = field(default=0, repr=False)

    def dsn(self, dbname: str = "postgres", password: str | None = None) -> str:
        """A URL DSN for ``dbname``; ``password`` overrides the real one (to test a wrong one)."""
        pw = self.password if password is None else password
        return f"postgresql://{self.user}:{pw}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database (its name): each test its own, on the one server."""
        import psycopg

        self._databases += 1
        name = f"{prefix}_{os.getpid()}_{self._databases}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        if self.process.poll() is None:
            # SIGINT is the "fast" shutdown (ends the sessions still open); to the process group,
            # since runuser (as root) does not pass it on to postgres.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        deadline = time.monotonic() + 20
        while (self.root / "data" / "postmaster.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.1)  # postgres itself is still writing its shutdown checkpoint
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgresql() -> PostgreSQLServer:
    """initdb a fresh cluster and start it; skip (fail under CI) when it cannot run here."""
    bindir = postgres_bin()
    if bindir is None:
        unavailable("PostgreSQL is not installed (Debian: postgresql; looked in "
                    f"{', '.join(POSTGRES_BIN_DIRS)} and PATH)")
    runner = _server_user()
    if os.geteuid() == 0 and (runner is None or shutil.which("runuser") is None):
        unavailable("PostgreSQL refuses to run as root and there is no postgres/nobody user and runuser")
    # Not under pytest's tmp_path: that is private to root, and the server runs as another user.
    root = Path(tempfile.mkdtemp(prefix="netcensus-pg-"))
    password = secrets.token_urlsafe(18)
    user = "netcensus_test"
    pwfile, data, log = root / "pw", root / "data", root / "postgres.log"
    pwfile.write_text(password + "\n", encoding="utf-8")
    pwfile.chmod(0o600)
    if runner:
        info = pwd.getpwnam(runner)
        for path in (root, pwfile):
            os.chown(path, info.pw_uid, info.pw_gid)
    done = subprocess.run(
        _as(runner, str(bindir / "initdb"), "-D", str(data), "-U", user, f"--pwfile={pwfile}",
            "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"),
        capture_output=True, text=True, timeout=120, check=False)
    pwfile.unlink()
    if done.returncode:
        shutil.rmtree(root, ignore_errors=True)
        unavailable(f"initdb failed: {done.stderr.strip()[-500:]}")
    port = free_port()
    with open(log, "wb") as log_handle:
        process = subprocess.Popen(
            _as(runner, str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-h", "127.0.0.1",
                "-k", str(root), "-c", "fsync=off", "-c", "max_connections=40"),
            stdout=log_handle, stderr=subprocess.STDOUT, start_new_session=True)
    server = PostgreSQLServer(root=root, port=port, user=user, password=password, process=process, log=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace")[-800:]
            server.stop()
            unavailable(f"postgres exited at start: {text}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            import psycopg

            with psycopg.connect(server.dsn(), connect_timeout=2):
                return server
        except Exception:
            time.sleep(0.2)
    server.stop()
    unavailable("postgres did not accept connections within 30 s")
    raise AssertionError("unreachable")


# --- Redis (the RQ broker of the distributed collection) ------------------------------------


@dataclass
class RedisServer:
    """A throwaway redis-server with persistence (append-only file, fsync on every write).

    ``restart()`` kills it (SIGKILL: no goodbye) and starts it again on the same port and
    data folder: what a broker restarted mid-run looks like to its clients.
    """

    root: Path
    port: int
    binds: tuple[str, ...]
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def url_for(self, address: str) -> str:
        """The URL a client reaches the broker by through ``address`` (one of its binds)."""
        return f"redis://{address}:{self.port}/0"

    def start(self) -> None:
        """Start (again) and wait until it answers PING."""
        conf = self.root / "redis.conf"
        conf.write_text(
            f"port {self.port}\nbind {' '.join(self.binds)}\nprotected-mode no\ndir {self.root}\n"
            "appendonly yes\nappendfsync always\nsave \"\"\ndaemonize no\nlogfile redis.log\n",
            encoding="utf-8")
        self.process = subprocess.Popen([shutil.which("redis-server") or "redis-server", str(conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.root / "redis.log")
                tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
                unavailable(f"redis-server exited at start: {tail}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        unavailable("redis-server did not answer within 20 s")

    def kill(self) -> None:
        """SIGKILL the server (its data stays in the append-only file)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self, down_s: float = 1.0) -> None:
        self.kill()
        time.sleep(down_s)
        self.start()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def data_files(self) -> list[Path]:
        """Every file the server persisted (append-only files, snapshots)."""
        return [p for p in self.root.rglob("*")
                if p.is_file() and p.name not in ("redis.conf", "redis.log")]


def start_redis(binds: tuple[str, ...] = ("127.0.0.1",)) -> RedisServer:
    """A redis-server on a free port, listening on ``binds`` only; skip (fail under CI) without one."""
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed (Debian: redis-server)")
    server = RedisServer(root=Path(tempfile.mkdtemp(prefix="netcensus-redis-")), port=free_port(), binds=binds)
    server.start()
    return server
