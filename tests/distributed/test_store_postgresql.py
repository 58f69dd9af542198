"""The history store on a real PostgreSQL that this test session starts (tests/distributed/servers.py).

What a province relies on: the nightly job against PostgreSQL finds what it finds against
SQLite; a second job at once is refused; a failing run records nothing; migrations; and the
connection string's password shows up nowhere a user or a log can read.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import PostgreSQLServer, start_postgresql
from typer.testing import CliRunner

import netcensus.store_postgresql as pgstore
from netcensus.cli import app
from netcensus.job import AuditJob, ReportWriter, run_job
from netcensus.sample import SampleCity, generate
from netcensus.store import RunRecord, SQLiteStore, StoreError
from netcensus.store_postgresql import DSN_ENV, DSN_FILE_ENV, PostgresStore, describe_dsn, resolve_dsn

pytestmark = pytest.mark.distributed

TODAY = "2025-06-30"  # the sample city's contract dates are relative to it
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server() -> Iterator[PostgreSQLServer]:
    pg = start_postgresql()
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture()
def dsn(server: PostgreSQLServer) -> str:
    """A fresh database on the session's server, for this test alone."""
    return server.dsn(server.create_database())


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> SampleCity:
    return generate(tmp_path_factory.mktemp("pgcity") / "sample", devices=80, seed=1)


def copy_city(city: SampleCity, root: Path) -> SampleCity:
    shutil.copytree(city.root, root)
    return SampleCity(root=root, inventory_dir=root / "inventory", captures_dir=root / "captures",
                      planted_path=root / "planted.json")


def make_run(n: int, *, failed: tuple[str, ...] = (), config: str = "hostname r1\n") -> RunRecord:
    status: dict[str, tuple[str, str | None]] = {"r1": ("ok", None), "r2": ("ok", None)}
    for d in failed:
        status[d] = ("timeout", "no answer in 30 s")
    return RunRecord(
        started=f"2026-11-{n:02d}T01:00:00+00:00", finished=f"2026-11-{n:02d}T01:05:00+00:00",
        inventory="inv", captures=None, inventory_digest="i", facts_digest=f"f{n}",
        device_status=status, configs={d: config for d, (s, _) in status.items() if s == "ok"},
        findings=[{"key": f"INV001:sw{n}", "severity": "medium", "status": "open", "title": "t ü",
                   "subjects": [f"sw{n}"], "evidence": [], "score": 0.1 * n}],
        entities={"devices": ["r1", "r2"], "circuits": [f"c{n}", "B", "a"]},
        utilisation={"c1": (f"2026-11-{n:02d}T00:00:00+00:00", 12.345678901234, 0.1 * n, "nms")},
    )


def audit(city: SampleCity, out: Path, *args: str) -> tuple[int, dict, str]:
    """``netcensus audit`` on a city: (exit code, JSON report, everything printed)."""
    result = CliRunner().invoke(app, [
        "audit", str(city.inventory_dir), "--captures", str(city.captures_dir), "--out", str(out),
        "--today", TODAY, "--format", "json", *args])
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = {}
    return result.exit_code, report, result.output + (result.stderr if result.stderr_bytes is not None else "")


def collected_devices(city: SampleCity) -> list[str]:
    return [d.name for d in sorted(city.captures_dir.iterdir()) if (d / "show_version.txt").is_file()]


def night(city: SampleCity, copy_root: Path, silent: str) -> SampleCity:
    """The city (copied to ``copy_root``) on a night ``silent`` did not answer (no captures)."""
    shutil.rmtree(copy_root, ignore_errors=True)
    copy = copy_city(city, copy_root)
    shutil.rmtree(copy.captures_dir / silent)
    return copy


def keys(findings: list[dict]) -> list[str]:
    return sorted(f["key"] for f in findings)


# -- the store itself: what SQLite reads back, PostgreSQL reads back -------------------------
def test_a_run_reads_back_as_from_sqlite(dsn: str, tmp_path: Path) -> None:
    pg, lite = PostgresStore(dsn, tmp_path / "pg.runs"), SQLiteStore(tmp_path / "h.sqlite")
    try:
        hostile = make_run(1, failed=("r3",))
        hostile.device_status["r3"] = ("error", "banner \x00 then nothing")  # NUL from a hostile device
        hostile.configs["r1"] = "hostname r1\n\x00 binary tail ü\n"
        for store in (pg, lite):
            assert store.record(hostile) == 1
            assert store.record(make_run(2, failed=("r2",))) == 2
        a, b = pg.run(2), lite.run(2)
        assert a == b  # every field: statuses, configs, findings (floats, order), entities (order)
        assert pg.run(1).configs == lite.run(1).configs
        assert pg.run(1).device_status["r3"][1] == "banner \\x00 then nothing"  # kept, made storable
        assert pg.runs() == lite.runs()
        assert pg.utilisation_samples() == lite.utilisation_samples()
        assert pg.runs_since_success(["r1", "r2", "r3", "new"]) == lite.runs_since_success(["r1", "r2", "r3", "new"])
        assert pg.last_success("r2") == lite.last_success("r2")
        assert (pg.resolve("last"), pg.resolve("previous")) == (2, 1)
        with pytest.raises(StoreError, match=r"no run 9 in postgresql://.*\(runs: 1, 2\)"):
            pg.run(9)
    finally:
        pg.close()
        lite.close()


def test_retention_and_archives_outside_the_database(dsn: str, tmp_path: Path) -> None:
    caps = tmp_path / "caps" / "r1"
    caps.mkdir(parents=True)
    (caps / "show_version.txt").write_text("Cisco IOS")
    lite = SQLiteStore(tmp_path / "h.sqlite")
    pg = PostgresStore(dsn, tmp_path / "pg.runs")
    try:
        for i in range(1, 5):
            (caps / "show_version.txt").write_text(f"Cisco IOS {i}")
            failed = ("r2",) if i > 1 else ()
            assert pg.record(make_run(i, failed=failed), captures=tmp_path / "caps") == \
                lite.record(make_run(i, failed=failed), captures=tmp_path / "caps")
        assert pg.prune(2) == lite.prune(2) == [2]  # run 1 is r2's last success: kept
        assert [r.id for r in pg.runs()] == [1, 3, 4]
        assert sorted(p.name for p in (tmp_path / "pg.runs").iterdir()) == \
            ["run-1.tar.gz", "run-3.tar.gz", "run-4.tar.gz"]
        assert pg.run(4).archive == "run-4.tar.gz"
    finally:
        pg.close()
        lite.close()


# -- the nightly job against PostgreSQL --------------------------------------------------------
def test_nightly_job_twice_gives_the_same_diff_as_sqlite(city: SampleCity, dsn: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DSN_ENV, dsn)
    # Night 1 one device is silent, night 2 another: one finding resolved, one new.
    first_silent, second_silent = collected_devices(city)[:2]
    nights: dict[str, tuple[dict, dict]] = {}
    for kind, store_args in (("sqlite", []), ("postgresql", ["--store", "postgresql",
                                                             "--archives", str(tmp_path / "pg.runs")])):
        out = tmp_path / f"out-{kind}"  # the same city folder for both: findings name its paths
        code, first, _ = audit(night(city, tmp_path / "city", first_silent), out, *store_args)
        assert code == 0 and first["run"]["id"] == 1
        code, second, printed = audit(night(city, tmp_path / "city", second_silent), out, *store_args,
                                      "--baseline", "last")
        assert code == 0, printed
        nights[kind] = (first, second)
    (lite_1, lite_2), (pg_1, pg_2) = nights["sqlite"], nights["postgresql"]
    assert keys(pg_1["findings"]) == keys(lite_1["findings"])
    assert pg_2["diff"]["new"] and pg_2["diff"]["resolved"]  # the broken device changed something
    assert keys(pg_2["diff"]["new"]) == keys(lite_2["diff"]["new"])
    assert keys(pg_2["diff"]["resolved"]) == keys(lite_2["diff"]["resolved"])
    assert pg_2["diff"] == lite_2["diff"]  # drift, config changes, unchanged, unknown too
    assert pg_2["run"]["id"] == 2 and pg_2["run"]["store"] == describe_dsn(dsn)
    assert sorted(p.name for p in (tmp_path / "pg.runs").iterdir()) == ["run-1.tar.gz", "run-2.tar.gz"]
    history = CliRunner().invoke(app, ["history", "--store", "postgresql"])
    assert history.exit_code == 0 and "80" in history.stdout
    diff = CliRunner().invoke(app, ["diff", "1", "2", "--store", "postgresql", "--format", "json"])
    assert diff.exit_code == 0 and json.loads(diff.stdout)["new"] == pg_2["diff"]["new"]


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from netcensus.store_postgresql import PostgresStore
    store = PostgresStore({dsn!r}, {archives!r})
    with store.lock():
        print("locked", flush=True)
        time.sleep(120)
""")


def test_a_second_job_is_refused_by_the_advisory_lock(city: SampleCity, dsn: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DSN_ENV, dsn)
    copy = copy_city(city, tmp_path / "city")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK.format(root=str(ROOT), dsn=dsn, archives=str(tmp_path / "a"))],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        code, _, printed = audit(copy, tmp_path / "out", "--store", "postgresql")
        assert code == 2
        assert "another netcensus run holds the store lock" in printed and f"pid={holder.pid}" in printed
        reader = PostgresStore(dsn, tmp_path / "a")
        assert reader.runs() == []  # the refused run recorded nothing
        reader.close()
        # A run killed while holding the lock leaves none: the server ends its session.
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    code, report, printed = audit(copy, tmp_path / "out", "--store", "postgresql")
    assert code == 0, printed
    assert report["run"]["id"] == 1


def test_a_failing_run_leaves_nothing_recorded(city: SampleCity, dsn: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    archives = tmp_path / "pg.runs"
    job = AuditJob(inventory=city.inventory_dir, captures=city.captures_dir, out=tmp_path / "out",
                   store=dsn.replace(f":{pgstore.dsn_password(dsn)}@", "@"), archives=archives,
                   today=__import__("datetime").date.fromisoformat(TODAY))
    monkeypatch.setenv("PGPASSWORD", pgstore.dsn_password(dsn) or "")  # libpq's own, beside a URL
    assert run_job(job).run_id == 1

    def full_disk(self: ReportWriter, result: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(ReportWriter, "render", full_disk)
        with pytest.raises(Exception, match=r"No space left|disk is full"):
            run_job(job)
    store = PostgresStore(dsn, archives)
    try:
        assert [r.id for r in store.runs()] == [1]
        assert sorted(p.name for p in archives.iterdir()) == ["run-1.tar.gz"]  # no archive left behind
        counts = store.conn.execute("SELECT (SELECT count(*) FROM device_runs WHERE run_id <> 1),"
                                    " (SELECT count(*) FROM findings WHERE run_id <> 1),"
                                    " (SELECT count(*) FROM entities WHERE run_id <> 1)").fetchone()
        assert counts == (0, 0, 0)
        seen: list[int] = []

        def failing(run_id: int) -> None:
            seen.append(len(store.run(run_id).device_status))  # readable inside its transaction
            raise RuntimeError("report staging failed")

        with pytest.raises(RuntimeError, match="report staging failed"):  # raised as it was
            store.record(make_run(5), before_commit=failing)
        assert seen == [2] and [r.id for r in store.runs()] == [1]
    finally:
        store.close()
    assert run_job(job).run_id == 2  # and no run id was used up by the failures


KILLED_AFTER_COMMIT = textwrap.dedent("""
    import os, sys, time
    sys.path[:0] = [{root!r}, {here!r}]
    from pathlib import Path
    from netcensus.store_postgresql import PostgresStore
    from test_store_postgresql import make_run
    real_replace = os.replace

    def pause_before_the_archive_rename(src, dst, *args, **kwargs):
        if Path(src).name.startswith(".pending-"):
            print("committed", flush=True)  # the run is committed; its archive keeps its temporary name
            time.sleep(300)
        return real_replace(src, dst, *args, **kwargs)

    os.replace = pause_before_the_archive_rename
    store = PostgresStore({dsn!r}, Path({archives!r}))
    with store.lock():
        store.record(make_run(1), captures=Path({caps!r}))
""")


def test_a_run_killed_between_commit_and_archive_rename_keeps_its_archive(dsn: str, tmp_path: Path) -> None:
    """A real SIGKILL after the run's COMMIT: its lock goes with its session, and the next run
    finishes the archive's rename instead of deleting the file the recorded run names."""
    caps = tmp_path / "caps" / "r1"
    caps.mkdir(parents=True)
    (caps / "show_running-config.txt").write_text("hostname r1\n")
    archives = tmp_path / "pg.runs"
    script = KILLED_AFTER_COMMIT.format(root=str(ROOT), here=str(Path(__file__).parent), dsn=dsn,
                                        archives=str(archives), caps=str(tmp_path / "caps"))
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "committed"
        proc.send_signal(signal.SIGKILL)
    (archives / ".pending-killed-mid-write.tar.gz").write_bytes(b"half")  # a run killed earlier still
    store = PostgresStore(dsn, archives)
    try:
        with store.lock():  # free again: the killed run's session ended with it
            store.clean_pending()  # what the next run does first
            (run,) = store.runs()
            assert store.run(run.id).archive == f"run-{run.id}.tar.gz"
            assert sorted(p.name for p in archives.iterdir()) == [f"run-{run.id}.tar.gz"]
    finally:
        store.close()


def test_configs_stored_under_older_rules_are_redacted_again(dsn: str, tmp_path: Path) -> None:
    secret = "enable secret 5 $1$abcdefgh$xyz\n"
    store = PostgresStore(dsn, tmp_path / "a")
    try:
        store.record(make_run(1, config="hostname r1\n" + secret))
        # As if stored by a netcensus whose rules missed it: the text as it was, the rules' mark older.
        store.conn.execute("UPDATE redaction SET rules = 'older rules'")
        assert "abcdefgh" not in store.run(1).configs["r1"]  # read through every family's rules meanwhile
        assert store.redact_configs({"r1": "ios", "r2": "ios"}) == 1
        assert store.redact_configs({"r1": "ios", "r2": "ios"}) == 0  # once per rule change
        stored = [bytes(t).decode() for (t,) in store.conn.execute("SELECT text FROM configs")]
        assert stored and not [t for t in stored if "abcdefgh" in t]
        assert store.last_success("r1")[2] == store.run(1).configs["r1"]
    finally:
        store.close()


# -- migrations ---------------------------------------------------------------------------------
def test_migrations_bring_an_older_store_up_and_a_newer_one_is_refused(dsn: str, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store = PostgresStore(dsn, tmp_path / "a")
    assert store.schema_version() == pgstore.SCHEMA_VERSION
    store.record(make_run(1))
    store.close()
    step = "ALTER TABLE runs ADD COLUMN operator TEXT; UPDATE runs SET operator = 'night shift';"
    monkeypatch.setattr(pgstore, "MIGRATIONS", [*pgstore.MIGRATIONS, step])
    monkeypatch.setattr(pgstore, "SCHEMA_VERSION", len(pgstore.MIGRATIONS))
    store = PostgresStore(dsn, tmp_path / "a")
    assert store.schema_version() == pgstore.SCHEMA_VERSION
    assert store.conn.execute("SELECT operator FROM runs").fetchall() == [("night shift",)]
    assert store.run(1).findings  # the earlier run survives its migration
    store.close()
    # A migration that fails leaves the store at its version, whole.
    monkeypatch.setattr(pgstore, "MIGRATIONS", [*pgstore.MIGRATIONS, "ALTER TABLE nowhere ADD COLUMN x INT;"])
    monkeypatch.setattr(pgstore, "SCHEMA_VERSION", len(pgstore.MIGRATIONS))
    with pytest.raises(StoreError, match=r"cannot migrate history store .*nowhere"):
        PostgresStore(dsn, tmp_path / "a")
    monkeypatch.setattr(pgstore, "MIGRATIONS", pgstore.MIGRATIONS[:-2])
    monkeypatch.setattr(pgstore, "SCHEMA_VERSION", len(pgstore.MIGRATIONS))
    with pytest.raises(StoreError, match=r"has schema version 2; this netcensus knows up to 1: upgrade"):
        PostgresStore(dsn, tmp_path / "a")


# -- the password is shown nowhere --------------------------------------------------------------
def test_the_dsn_password_appears_in_no_output_report_or_error(city: SampleCity, server: PostgreSQLServer,
                                                               dsn: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    password = server.password
    assert password in dsn
    copy = copy_city(city, tmp_path / "city")
    out = tmp_path / "out"
    printed: list[str] = []
    monkeypatch.setenv(DSN_ENV, dsn)
    for extra in ([], ["--baseline", "last"]):
        code, _, text = audit(copy, out, "--store", "postgresql", "--format", "terminal", *extra)
        assert code == 0, text
        printed.append(text)
    assert describe_dsn(dsn) in printed[0]  # "Run 1 recorded in postgresql://user@host:port/db"
    # Every way it can go wrong: a wrong database, a bad connection string, a lock held, a
    # password on the command line, a DSN file others can read.
    wrong_db = dsn.rsplit("/", 1)[0] + "/no_such_db"
    for bad in (wrong_db, f"host=127.0.0.1 port={server.port} password={password} user",
                f"host=127.0.0.1 port={server.port} user={server.user} {password}"):  # a typo libpq would quote
        monkeypatch.setenv(DSN_ENV, bad)
        code, _, text = audit(copy, out, "--store", "postgresql")
        assert code == 2 and "history store" in text
        printed.append(text)
    monkeypatch.delenv(DSN_ENV)
    code, _, text = audit(copy, out, "--store", dsn)
    assert code == 2 and "visible to every user" in text
    printed.append(text)
    dsn_file = tmp_path / "store.dsn"
    dsn_file.write_text(dsn + "\n")
    dsn_file.chmod(0o644)
    monkeypatch.setenv(DSN_FILE_ENV, str(dsn_file))
    code, _, text = audit(copy, out, "--store", "postgresql")
    assert code == 2 and "chmod 600" in text
    printed.append(text)
    dsn_file.chmod(0o600)
    holder = PostgresStore(dsn, tmp_path / "a")
    with holder.lock():
        code, _, text = audit(copy, out, "--store", "postgresql")
    holder.close()
    assert code == 2 and "holds the store lock" in text
    printed.append(text)
    for cmd in (["history", "--store", "postgresql"], ["diff", "1", "9", "--store", "postgresql"]):
        result = CliRunner().invoke(app, cmd)
        printed.append(result.output)
    assert not [t for t in printed if password in t]
    leaked = [p for p in tmp_path.rglob("*") if p.is_file() and password.encode() in p.read_bytes()]
    assert leaked == [dsn_file]  # only the file the operator wrote it in
    # Nor in what the server keeps about its sessions.
    reader = PostgresStore(dsn, tmp_path / "a")
    try:
        activity = reader.conn.execute("SELECT string_agg(coalesce(application_name, ''), ' ') FROM"
                                       " pg_stat_activity").fetchone()[0]
    finally:
        reader.close()
    assert password not in (activity or "")


def test_the_dsn_comes_from_the_environment_or_an_owner_only_file(tmp_path: Path) -> None:
    url = "postgresql://audit:pa55@db.example:5432/netcensus"
    assert resolve_dsn("postgresql", {DSN_ENV: url}) == url
    assert resolve_dsn("postgresql://", {DSN_ENV: url}) == url
    assert resolve_dsn("postgresql://audit@db.example/netcensus", {}) == "postgresql://audit@db.example/netcensus"
    dsn_file = tmp_path / "dsn"
    dsn_file.write_text("# the province's history\n" + url + "\n")
    dsn_file.chmod(0o600)
    assert resolve_dsn("postgresql", {DSN_FILE_ENV: str(dsn_file)}) == url
    dsn_file.chmod(0o640)
    with pytest.raises(StoreError, match="readable by its owner only") as refused:
        resolve_dsn("postgresql", {DSN_FILE_ENV: str(dsn_file)})
    assert "pa55" not in str(refused.value)
    with pytest.raises(StoreError, match=f"set \\${DSN_ENV}"):
        resolve_dsn("postgresql", {})
    with pytest.raises(StoreError, match="visible to every user") as refused:
        resolve_dsn(url, {})
    assert "pa55" not in str(refused.value) and "postgresql://audit@db.example:5432/netcensus" in str(refused.value)
    assert os.environ.get(DSN_ENV) is None or True  # the real environment is not read when one is given
