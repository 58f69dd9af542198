"""The history store: records, reads back, retention, lock, migrations, faults."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from netcensus.store import SCHEMA_VERSION, RunRecord, SQLiteStore, StoreError, StoreLock


def make_run(n: int, *, failed: tuple[str, ...] = (), config: str = "hostname r1\n") -> RunRecord:
    status = {"r1": ("ok", None), "r2": ("ok", None)}
    for d in failed:
        status[d] = ("timeout", "no answer in 30 s")
    return RunRecord(
        started=f"2026-11-{n:02d}T01:00:00+00:00", finished=f"2026-11-{n:02d}T01:05:00+00:00",
        inventory="inv", captures=None, inventory_digest="i", facts_digest=f"f{n}",
        device_status=status, configs={d: config for d, (s, _) in status.items() if s == "ok"},
        findings=[{"key": f"INV001:sw{n}", "severity": "medium", "status": "open", "title": "t",
                   "subjects": [f"sw{n}"], "evidence": []}],
        entities={"devices": ["r1", "r2"], "circuits": [f"c{n}"]},
    )


def test_record_and_read_back(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "h.sqlite")
    run_id = store.record(make_run(1))
    back = store.run(run_id)
    assert back.id == run_id
    assert back.device_status["r1"] == ("ok", None)
    assert back.configs["r2"] == "hostname r1\n"
    assert [f["key"] for f in back.findings] == ["INV001:sw1"]
    assert back.entities["circuits"] == ["c1"]
    assert store.resolve("last") == run_id
    assert [r.id for r in store.runs()] == [run_id]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_captures_are_archived_and_pruned(tmp_path: Path) -> None:
    caps = tmp_path / "caps" / "r1"
    caps.mkdir(parents=True)
    (caps / "show_version.txt").write_text("Cisco IOS")
    (caps / "show_interfaces.txt.tmp").write_text("half")
    store = SQLiteStore(tmp_path / "h.sqlite")
    ids = [store.record(make_run(i), captures=tmp_path / "caps") for i in range(1, 5)]
    archives = sorted(p.name for p in store.archive_dir.iterdir())
    assert archives == [f"run-{i}.tar.gz" for i in ids]
    import tarfile

    with tarfile.open(store.archive_dir / archives[0]) as tar:
        assert tar.getnames() == ["captures", "captures/r1", "captures/r1/show_version.txt", "REDACTION.json"]
    # r1 and r2 succeed in every run, so the newest run pins their last success
    assert store.prune(2) == ids[:2]
    assert [r.id for r in store.runs()] == ids[2:]
    assert sorted(p.name for p in store.archive_dir.iterdir()) == [f"run-{i}.tar.gz" for i in ids[2:]]


def test_last_success_survives_retention(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "h.sqlite")
    first = store.record(make_run(1, failed=(), config="hostname old\n"))
    for i in range(2, 6):  # r2 fails from now on
        run = make_run(i, failed=("r2",))
        store.record(run)
    assert store.runs_since_success(["r1", "r2"]) == {"r1": 0, "r2": 4}
    store.prune(1)
    assert first in [r.id for r in store.runs()]  # pinned: r2's last success
    run_id, _, config = store.last_success("r2")
    assert (run_id, config) == (first, "hostname old\n")


def test_unknown_run_is_a_clear_error(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "h.sqlite")
    store.record(make_run(1))
    with pytest.raises(StoreError, match=r"no run 7 .*runs: 1"):
        store.run(7)
    with pytest.raises(StoreError, match="'yesterday'"):
        store.resolve("yesterday")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="upgrade netcensus"):
        SQLiteStore(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    SQLiteStore(path).close()
    os.chmod(path, 0o444)
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(StoreError, match=r"read-only|cannot"):
            SQLiteStore(path).record(make_run(1))
    finally:
        os.chmod(tmp_path, 0o755)


def test_read_only_filesystem_message_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    SQLiteStore(path).close()
    store = SQLiteStore(path)
    store.conn.execute("PRAGMA query_only = ON")  # behaves like a read-only database
    with pytest.raises(StoreError, match="cannot write history store"):
        store.record(make_run(1))


def test_second_run_is_refused_while_locked(tmp_path: Path) -> None:
    lock_path = tmp_path / "h.sqlite.lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from netcensus.store import StoreLock
        from pathlib import Path
        with StoreLock(Path({str(lock_path)!r})):
            print("locked", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match=rf"another netcensus run holds .*pid={holder.pid}"):
            StoreLock(lock_path).acquire()
        holder.send_signal(signal.SIGKILL)  # a killed run: the kernel drops its flock
        holder.wait()
        lock = StoreLock(lock_path).acquire()
        assert lock.stale_pid == holder.pid
        lock.release()
        assert StoreLock(lock_path).acquire().stale_pid is None  # a clean release leaves no trace
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


WRITER = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from netcensus.store import SQLiteStore
from tests.netcensus.test_store import make_run
store = SQLiteStore(Path({db!r}))
caps = Path({caps!r})
i = 0
while True:
    i += 1
    store.record(make_run(i % 28 + 1), captures=caps)
    store.prune(5)
    if i == 1:
        print("recording", flush=True)  # the test's cue: from here on every moment is a write
"""


def test_sigkill_while_recording_never_corrupts(tmp_path: Path) -> None:
    """Kill a writer at random moments of its record/prune loop, 12 times: the store stays
    consistent and usable. The writer says when it is writing (after its start-up), so each
    kill lands in the loop, not in the interpreter's start."""
    import random

    root = str(Path(__file__).resolve().parents[2])
    caps = tmp_path / "caps" / "r1"
    caps.mkdir(parents=True)
    (caps / "show_running-config.txt").write_text("hostname r1\n" * 2000)
    db = tmp_path / "h.sqlite"
    rng = random.Random(7)
    for trial in range(12):
        writer = WRITER.format(root=root, db=str(db), caps=str(tmp_path / "caps"))
        proc = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "recording", trial
            time.sleep(rng.random() * 0.15)  # up to ~50 record/prune rounds (a few ms each): any moment of one
            proc.send_signal(signal.SIGKILL)
            assert proc.wait() == -signal.SIGKILL, trial
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
        store = SQLiteStore(db)
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", trial
        store.clean_pending()
        runs = store.runs()
        for summary in runs[-2:]:  # the newest runs read back whole
            run = store.run(summary.id)
            assert run.device_status and run.findings
            if run.archive and run.archive.startswith("run-"):
                assert (store.archive_dir / run.archive).is_file()
        assert not list(store.archive_dir.glob(".pending-*"))
        store.close()
    final = SQLiteStore(db)
    new_id = final.record(make_run(1))  # and the next run works
    assert final.run(new_id).findings


def test_a_run_is_recorded_only_if_what_runs_before_its_commit_succeeds(tmp_path: Path) -> None:
    """The nightly job stages its reports in ``before_commit``: no reports, no run."""
    store = SQLiteStore(tmp_path / "h.sqlite")
    try:
        seen: list[int] = []

        def full_disk(run_id: int) -> None:
            seen.append(len(store.run(run_id).findings))  # the run is readable inside its transaction
            raise OSError(28, "No space left on device")

        with pytest.raises(OSError, match="No space left"):  # raised as it was, not as a StoreError
            store.record(make_run(1), before_commit=full_disk)
        assert seen and store.runs() == []
        run_id = store.record(make_run(2), before_commit=lambda run_id: None)
        assert [r.id for r in store.runs()] == [run_id]
    finally:
        store.close()


KILLED_AFTER_COMMIT = """
import os, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from netcensus.store import SQLiteStore
from tests.netcensus.test_store import make_run
real_replace = os.replace

def pause_before_the_archive_rename(src, dst, *args, **kwargs):
    if Path(src).name.startswith(".pending-"):
        print("committed", flush=True)  # the run is committed; its archive keeps its temporary name
        time.sleep(300)
    return real_replace(src, dst, *args, **kwargs)

os.replace = pause_before_the_archive_rename
SQLiteStore(Path({db!r})).record(make_run(1), captures=Path({caps!r}))
"""


def test_a_run_killed_between_commit_and_archive_rename_keeps_its_archive(tmp_path: Path) -> None:
    """A real SIGKILL in the window after the run's COMMIT: the next run must not delete the
    archive the recorded run names (it may rename it; the run's row must then say so)."""
    root = str(Path(__file__).resolve().parents[2])
    caps = tmp_path / "caps" / "r1"
    caps.mkdir(parents=True)
    (caps / "show_running-config.txt").write_text("hostname r1\n")
    db = tmp_path / "h.sqlite"
    script = KILLED_AFTER_COMMIT.format(root=root, db=str(db), caps=str(tmp_path / "caps"))
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "committed"
        proc.send_signal(signal.SIGKILL)
    store = SQLiteStore(db)
    try:
        store.clean_pending()  # what the next run does first
        (run,) = store.runs()
        archive = store.run(run.id).archive
        assert archive is not None and (store.archive_dir / archive).is_file()
    finally:
        store.close()
