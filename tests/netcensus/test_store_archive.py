"""Capture archives: reuse for unchanged captures, background writing, schema upgrade, workers."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import textwrap
import time
from pathlib import Path

import pytest

from netcensus.store import (MIGRATIONS, RunRecord, SQLiteStore, StoreError, captures_digest,
                             write_archive)


def make_run(n: int, devices: dict[str, str] | None = None) -> RunRecord:
    status = {d: (s, None) for d, s in (devices or {"r1": "ok"}).items()}
    return RunRecord(
        started=f"2026-11-{n:02d}T01:00:00+00:00", finished=f"2026-11-{n:02d}T01:05:00+00:00",
        inventory="inv", captures="caps", inventory_digest="i", facts_digest=f"f{n}",
        device_status=status, configs={}, findings=[], entities={"devices": sorted(status)},
    )


def make_captures(root: Path) -> Path:
    caps = root / "caps"
    for device, text in (("r1", "Cisco IOS Software, Version 15.2"), ("r2", "Huawei VRP V800")):
        (caps / device).mkdir(parents=True)
        (caps / device / "show_version.txt").write_text(text)
    (caps / "r2" / "display_esn.txt.tmp").write_text("interrupted")
    return caps


def archived_text(store: SQLiteStore, run_id: int, member: str) -> str:
    with tarfile.open(store.archive_dir / f"run-{run_id}.tar.gz") as tar:
        handle = tar.extractfile(f"captures/{member}")
        assert handle is not None
        return handle.read().decode()


def test_unchanged_captures_reuse_the_previous_archive(tmp_path: Path) -> None:
    caps = make_captures(tmp_path)
    store = SQLiteStore(tmp_path / "h.sqlite")
    first, second = store.record(make_run(1), captures=caps), store.record(make_run(2), captures=caps)
    a, b = store.archive_dir / f"run-{first}.tar.gz", store.archive_dir / f"run-{second}.tar.gz"
    assert os.path.samefile(a, b)  # one file on disk, two names
    assert store.prune(1) == [first]
    assert not a.exists()
    assert archived_text(store, second, "r1/show_version.txt") == "Cisco IOS Software, Version 15.2"


def test_an_edit_that_keeps_size_and_time_still_gets_a_new_archive(tmp_path: Path) -> None:
    caps = make_captures(tmp_path)
    store = SQLiteStore(tmp_path / "h.sqlite")
    first = store.record(make_run(1), captures=caps)
    version = caps / "r1" / "show_version.txt"
    before = version.stat()
    version.write_text("Cisco IOS Software, Version 15.9")  # same length
    os.utime(version, ns=(before.st_atime_ns, before.st_mtime_ns))  # same modification time
    second = store.record(make_run(2), captures=caps)
    assert not os.path.samefile(store.archive_dir / f"run-{first}.tar.gz", store.archive_dir / f"run-{second}.tar.gz")
    assert archived_text(store, first, "r1/show_version.txt").endswith("15.2")
    assert archived_text(store, second, "r1/show_version.txt").endswith("15.9")


def test_archive_lists_entries_like_tar_and_skips_interrupted_writes(tmp_path: Path) -> None:
    caps = make_captures(tmp_path)
    content = write_archive(caps, tmp_path / "a.tar.gz")
    with tarfile.open(tmp_path / "a.tar.gz") as tar:
        assert tar.getnames() == ["captures", "captures/r1", "captures/r1/show_version.txt",
                                  "captures/r2", "captures/r2/show_version.txt"]
    assert content == captures_digest(caps)
    (caps / "r2" / "show_version.txt").write_text("Huawei VRP V800R021")
    assert captures_digest(caps) != content


def test_background_archive_is_recorded_like_a_direct_one(tmp_path: Path) -> None:
    caps = make_captures(tmp_path)
    store = SQLiteStore(tmp_path / "h.sqlite")
    run_id = store.record(make_run(1), archive=store.start_archive(caps))
    assert archived_text(store, run_id, "r2/show_version.txt") == "Huawei VRP V800"
    assert not list(store.archive_dir.glob(".pending-*"))


def test_a_discarded_background_archive_leaves_nothing(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "h.sqlite")
    store.start_archive(make_captures(tmp_path)).discard()  # the audit failed before recording
    assert list(store.archive_dir.iterdir()) == []
    assert store.runs() == []


def test_a_background_archive_that_fails_fails_the_record(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "h.sqlite")
    pending = store.start_archive(tmp_path / "no-such-folder")
    with pytest.raises(StoreError, match="cannot archive captures"):
        store.record(make_run(1), archive=pending)
    assert store.runs() == []


def test_a_version_1_store_is_upgraded_and_keeps_its_runs(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO runs (started, finished, inventory, captures, inventory_digest, facts_digest,"
               " devices, failed, degraded, archive) VALUES ('s', 'f', 'inv', NULL, 'i', 'f', 0, 0, 0, NULL)")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = SQLiteStore(path)
    assert [r.id for r in store.runs()] == [1]
    caps = make_captures(tmp_path)
    ids = [store.record(make_run(n), captures=caps) for n in (2, 3)]
    assert os.path.samefile(*(store.archive_dir / f"run-{i}.tar.gz" for i in ids))


def test_runs_since_success_counts_per_device_in_one_query(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "h.sqlite")
    store.record(make_run(1, {"r1": "ok", "r2": "timeout"}))
    store.record(make_run(2, {"r1": "timeout", "r2": "timeout"}))
    store.record(make_run(3, {"r1": "timeout", "r2": "ok", "r3": "refused"}))
    assert store.runs_since_success(["r1", "r2", "r3", "new"]) == {"r1": 2, "r2": 0, "r3": 1, "new": 0}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    """A worker outliving a killed audit would hold the store lock it inherited."""
    script = textwrap.dedent("""
        import os, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from netcensus.store import die_with_parent
        pool = ProcessPoolExecutor(1, initializer=die_with_parent, initargs=(os.getpid(),))
        print(pool.submit(os.getpid).result(), flush=True)
        pool.submit(time.sleep, 60)
        time.sleep(60)
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                          cwd=Path(__file__).resolve().parents[2]) as parent:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        parent.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
