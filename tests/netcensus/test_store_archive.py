"""Capture archives: reuse for unchanged captures, background writing, schema upgrade, workers."""

from __future__ import annotations

import json
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

from netcensus.store import MIGRATIONS, RunRecord, SQLiteStore, StoreError, captures_digest, write_archive


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
                                  "captures/r2", "captures/r2/show_version.txt", "REDACTION.json"]
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


# -- redaction: an archive holds only redacted text ------------------------------------------

IOS_CONFIG = ("hostname r1\nenable secret 5 $1$EnaBle$Secret1\nsnmp-server community C0mmSecret RO\n"
              "interface Gi0/1\n ip address 10.0.0.1 255.255.255.0\n ip ospf authentication-key 7 0SpfKey1\n")
VRP_CONFIG = "sysname r2\n#\naaa\n local-user admin password irreversible-cipher $1a$VrpSecret$\n"
SECRETS = ("$1$EnaBle$Secret1", "C0mmSecret", "0SpfKey1", "$1a$VrpSecret$", "NapalmSecret9", "GbkSecret8",
           "Utf16Secret7")
PLATFORMS = {"r1": "cisco_ios", "r2": "huawei"}


def secret_captures(root: Path) -> Path:
    caps = make_captures(root)
    (caps / "r1" / "show_running-config.txt").write_text(IOS_CONFIG)
    (caps / "r2" / "display_current-configuration.txt").write_text(VRP_CONFIG)
    # GBK-encoded VRP output (Chinese description) with a secret: redacted, encoding kept
    (caps / "r2" / "display_saved-configuration.txt").write_bytes(
        "interface Vlanif1\n description 办公楼\n ospf authentication-mode md5 1 plain GbkSecret8\n".encode("gbk"))
    # saved by a Windows tool as UTF-16 (with its byte-order mark)
    (caps / "r1" / "show_startup-config.txt").write_bytes("enable secret 0 Utf16Secret7\r\n".encode("utf-16"))
    # napalm's get_config: a whole configuration in one JSON string
    (caps / "r1" / "napalm_get_config.json").write_text(
        json.dumps({"running": "hostname r1\nenable secret 0 NapalmSecret9\n", "startup": "", "candidate": ""}))
    return caps


def archive_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: (tar.extractfile(m).read() if m.isfile() else b"") for m in tar}  # type: ignore[union-attr]


def assert_no_secret(path: Path) -> None:
    whole = b"".join(archive_members(path).values())
    leaked = [s for s in SECRETS if s.encode() in whole or s.encode("utf-16-le") in whole]
    assert not leaked, f"{path.name} holds {leaked}"


def test_archives_hold_redacted_captures_only(tmp_path: Path) -> None:
    caps = secret_captures(tmp_path)
    store = SQLiteStore(tmp_path / "h.sqlite")
    direct = store.record(make_run(1), captures=caps, platforms=PLATFORMS)
    background = store.record(make_run(2), archive=store.start_archive(caps, PLATFORMS))
    for run_id in (direct, background):
        path = store.archive_dir / f"run-{run_id}.tar.gz"
        assert_no_secret(path)
        members = archive_members(path)
        assert members["captures/r1/show_running-config.txt"].decode() == IOS_CONFIG.replace(
            "$1$EnaBle$Secret1", "<redacted>").replace("C0mmSecret", "<redacted>").replace("0SpfKey1", "<redacted>")
        gbk = members["captures/r2/display_saved-configuration.txt"].decode("gbk")
        assert "办公楼" in gbk and "plain <redacted>" in gbk
        assert json.loads(members["captures/r1/napalm_get_config.json"])["running"].startswith("hostname r1\n")
        assert members["captures/r1/show_startup-config.txt"].decode("utf-16") == "enable secret 0 <redacted>\r\n"
        assert json.loads(members["REDACTION.json"])["omitted"] == []


def test_a_device_missing_from_the_platforms_gets_every_rule(tmp_path: Path) -> None:
    caps = secret_captures(tmp_path)
    write_archive(caps, tmp_path / "a.tar.gz", platforms=None)
    assert_no_secret(tmp_path / "a.tar.gz")


def test_files_that_cannot_be_redacted_are_left_out_and_listed(tmp_path: Path) -> None:
    caps = secret_captures(tmp_path)
    (caps / "r1" / "show_tech.txt").write_bytes(b"enable secret 0 BinSecret\0\x01\x02")
    (caps / "r1" / "show_logging.txt").write_bytes(b"\x81\xff\xfa enable password UndecodableSecret")
    os.mkfifo(caps / "r1" / "show_clock.txt")
    write_archive(caps, tmp_path / "a.tar.gz", PLATFORMS)
    members = archive_members(tmp_path / "a.tar.gz")
    omitted = {o["path"]: o["reason"] for o in json.loads(members["REDACTION.json"])["omitted"]}
    assert omitted == {"captures/r1/show_clock.txt": "not a regular file",
                       "captures/r1/show_logging.txt": "neither UTF-8 nor GB 18030 text",
                       "captures/r1/show_tech.txt": "binary content (NUL bytes)"}
    assert not set(omitted) & set(members)
    whole = b"".join(members.values())
    assert b"BinSecret" not in whole and b"UndecodableSecret" not in whole


def test_new_rules_or_platforms_mean_a_new_archive_not_a_reused_one(tmp_path: Path) -> None:
    caps = secret_captures(tmp_path)
    store = SQLiteStore(tmp_path / "h.sqlite")
    first = store.record(make_run(1), captures=caps, platforms=PLATFORMS)
    second = store.record(make_run(2), captures=caps, platforms={"r1": "cisco_ios"})  # r2 left the inventory
    assert not os.path.samefile(store.archive_dir / f"run-{first}.tar.gz", store.archive_dir / f"run-{second}.tar.gz")
    assert captures_digest(caps, PLATFORMS) != captures_digest(caps, {"r1": "cisco_ios"})


# -- migration: archives written before redaction are rewritten redacted ----------------------

def old_style_store(tmp_path: Path) -> tuple[SQLiteStore, Path, list[int]]:
    """A store whose two runs archived the raw captures (one file, two names) as before redaction."""
    caps = secret_captures(tmp_path)
    store = SQLiteStore(tmp_path / "h.sqlite")
    ids = [store.record(make_run(n)) for n in (1, 2)]
    store.archive_dir.mkdir()
    raw = store.archive_dir / f"run-{ids[0]}.tar.gz"
    with tarfile.open(raw, "w:gz") as tar:
        tar.add(caps, arcname="captures")
    os.link(raw, store.archive_dir / f"run-{ids[1]}.tar.gz")
    for run_id in ids:
        store.conn.execute("UPDATE runs SET archive = ? WHERE id = ?", (f"run-{run_id}.tar.gz", run_id))
    return store, caps, ids


def test_old_archives_are_migrated_redacted_by_the_next_run(tmp_path: Path) -> None:
    store, caps, ids = old_style_store(tmp_path)
    with pytest.raises(AssertionError):
        assert_no_secret(store.archive_dir / f"run-{ids[0]}.tar.gz")  # the setup really leaks
    before = archive_members(store.archive_dir / f"run-{ids[0]}.tar.gz")
    third = store.record(make_run(3), archive=store.start_archive(caps, PLATFORMS))
    for run_id in (*ids, third):
        assert_no_secret(store.archive_dir / f"run-{run_id}.tar.gz")
    after = archive_members(store.archive_dir / f"run-{ids[0]}.tar.gz")
    assert set(after) == set(before) | {"REDACTION.json"}  # every member kept, redacted in place
    assert after["captures/r1/show_version.txt"] == before["captures/r1/show_version.txt"]
    assert os.path.samefile(*(store.archive_dir / f"run-{i}.tar.gz" for i in ids))  # still one file
    assert not list(store.archive_dir.glob(".pending-*"))
    assert [r.id for r in store.runs()] == [*ids, third]
    assert store.redact_archives(PLATFORMS) == []  # done once: the mark says so


def test_a_corrupt_old_archive_keeps_only_what_could_be_redacted(tmp_path: Path) -> None:
    store, _caps, ids = old_style_store(tmp_path)
    path = store.archive_dir / f"run-{ids[0]}.tar.gz"
    os.unlink(store.archive_dir / f"run-{ids[1]}.tar.gz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # cut mid-stream
    assert store.redact_archives(PLATFORMS) == [path.name]
    with tarfile.open(path) as tar:
        listing = json.loads(tar.extractfile("REDACTION.json").read())  # type: ignore[union-attr]
    assert any("unreadable from here on" in o["reason"] for o in listing["omitted"])
    assert_no_secret(path)


def test_a_migration_that_fails_leaves_the_original_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, _caps, ids = old_style_store(tmp_path)
    path = store.archive_dir / f"run-{ids[0]}.tar.gz"
    original = path.read_bytes()
    import netcensus.store as store_module

    def full_disk(source: Path, target: Path, platforms: object) -> None:
        target.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "migrate_archive", full_disk)
    with pytest.raises(StoreError, match="the disk is full"):
        store.redact_archives(PLATFORMS)
    assert path.read_bytes() == original
    assert not list(store.archive_dir.glob(".pending-*"))


def test_configurations_stored_by_older_rules_are_redacted_again(tmp_path: Path) -> None:
    """A store written before a redactor gap was closed: the next run redacts its configs too."""
    gap = "dot11 ssid CITY\n wpa-psk ascii 0 OldGapSecret\n"
    store = SQLiteStore(tmp_path / "h.sqlite")
    old = make_run(1)
    first = store.record(RunRecord(**{**old.__dict__, "configs": {"r1": "hostname r1\n" + gap}}))
    store.conn.execute("CREATE TABLE IF NOT EXISTS redaction (what TEXT PRIMARY KEY, rules TEXT NOT NULL)")
    store.conn.execute("INSERT OR REPLACE INTO redaction VALUES ('configs', 'older-rules')")
    second = store.record(make_run(2), platforms={"r1": "cisco_ios"})
    assert store.run(first).configs["r1"] == "hostname r1\ndot11 ssid CITY\n wpa-psk ascii 0 <redacted>\n"
    assert store.last_success("r1")[0] == second
    assert store.redact_configs({"r1": "cisco_ios"}) == 0  # once per rule change
    store.close()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("h.sqlite*") if p.is_file())
    assert b"OldGapSecret" not in on_disk  # overwritten, not merely unlinked


def test_configuration_backups_are_redacted_for_their_device() -> None:
    from netcensus.archive_redaction import platform_of

    platforms = {"core1": "huawei", "r1": "cisco_ios"}
    assert platform_of("captures/r1/show_version.txt", platforms) == "cisco_ios"
    assert platform_of("captures/core1", platforms) == "huawei"  # Oxidized, flat
    assert platform_of("captures/city/core1.cfg", platforms) == "huawei"  # Oxidized, groups
    assert platform_of("captures/city/configs/core1", platforms) == "huawei"  # RANCID
    assert platform_of("captures/manifest.json", platforms) == "unknown"  # every family's rules
    assert platform_of("captures/gone/show_version.txt", platforms) == "unknown"


def test_before_any_run_redacts_them_again_old_configurations_read_redacted(tmp_path: Path) -> None:
    """``netcensus diff`` on an upgraded store, before the next audit: no secret older rules left."""
    store = SQLiteStore(tmp_path / "h.sqlite")
    old = make_run(1)
    run_id = store.record(RunRecord(**{**old.__dict__, "configs": {"r1": "dot11 ssid C\n wpa-psk ascii 0 OldKey9\n"}}))
    store.conn.execute("CREATE TABLE IF NOT EXISTS redaction (what TEXT PRIMARY KEY, rules TEXT NOT NULL)")
    store.conn.execute("INSERT OR REPLACE INTO redaction VALUES ('configs', 'older-rules')")
    assert "OldKey9" not in store.run(run_id).configs["r1"]
    assert "OldKey9" not in (store.last_success("r1")[2] or "")
