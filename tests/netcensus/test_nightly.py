"""Nightly audits end to end: history, diff, exit codes, and safety under SIGKILL."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netcensus.cli import app
from netcensus.sample import SampleCity
from netcensus.store import SQLiteStore

TODAY = "2025-06-30"  # the sample city's contract dates are relative to it


def audit(city: SampleCity, out: Path, *args: str) -> tuple[int, dict]:
    """Run ``netcensus audit`` on a city and return (exit code, JSON report)."""
    result = CliRunner().invoke(app, [
        "audit", str(city.inventory_dir), "--captures", str(city.captures_dir), "--out", str(out),
        "--today", TODAY, "--format", "json", *args])
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = {}
    return result.exit_code, report


def keys(findings: list[dict]) -> set[str]:
    return {f["key"] for f in findings}


def add_lldp_neighbour(capture: Path, name: str, local_port: str, address: str) -> None:
    """Append a neighbour to an IOS ``show lldp neighbors detail`` capture, in its own format."""
    text = capture.read_text(encoding="utf-8")
    block = text.split("Total entries displayed")[0]
    first = "-" * 48 + block.split("-" * 48)[1]
    new = re.sub(r"System Name: .*", f"System Name: {name}", first)
    new = re.sub(r"Local Intf: .*", f"Local Intf: {local_port}", new)
    new = re.sub(r"IP: .*", f"IP: {address}", new)
    count = int(re.search(r"Total entries displayed: (\d+)", text).group(1))
    capture.write_text(block + new + f"Total entries displayed: {count + 1}\n", encoding="utf-8")


def ios_device_with_lldp(city: SampleCity) -> str:
    for folder in sorted(city.captures_dir.iterdir()):
        f = folder / "show_lldp_neighbors_detail.txt"
        if f.is_file() and "Total entries displayed" in f.read_text(encoding="utf-8"):
            return folder.name
    raise AssertionError("the sample city has no IOS device with LLDP neighbours")


def test_two_audits_of_the_same_city_find_nothing_new(city_copy: SampleCity, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, first = audit(city_copy, out)
    assert code == 0 and first["run"]["id"] == 1 and first["findings"]
    code, second = audit(city_copy, out, "--baseline", "last", "--fail-on", "low")
    assert code == 0
    diff = second["diff"]
    assert diff["base_run"] == 1 and diff["new"] == [] and diff["resolved"] == [] and diff["unknown"] == []
    assert keys(diff["unchanged"]) == keys(f for f in first["findings"] if f["status"] == "open")
    assert diff["drift"] == {} and diff["config_changes"] == {}


def test_removed_device_and_new_neighbour_give_exact_drift(city_copy: SampleCity, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _first = audit(city_copy, out)
    assert code == 0
    observer = ios_device_with_lldp(city_copy)
    gone = next(d.name for d in sorted(city_copy.captures_dir.iterdir())
                if d.name != observer and (d / "show_version.txt").is_file())
    shutil.rmtree(city_copy.captures_dir / gone)
    add_lldp_neighbour(city_copy.captures_dir / observer / "show_lldp_neighbors_detail.txt",
                       "rogue-sw9.xiyue.gov.cn", "GigabitEthernet1/0/40", "10.250.0.9")

    code, second = audit(city_copy, out, "--baseline", "last", "--fail-on", "low")
    assert code == 1  # new findings at or above low
    diff = second["diff"]
    assert keys(diff["new"]) == {f"INV002:{gone}", "INV001:rogue-sw9"}
    assert diff["drift"]["devices"] == {"added": ["rogue-sw9"], "gone": []}
    assert diff["drift"]["links"]["added"] == [f"{observer}:GigabitEthernet1/0/40 ~ rogue-sw9:GigabitEthernet1/0/1"] \
        or len(diff["drift"]["links"]["added"]) == 1
    assert all(gone in link for link in diff["drift"]["links"]["gone"])
    # what rested on the removed device is unknown, never resolved
    assert not any(gone in json.dumps(f) for f in diff["resolved"])


def test_degraded_run_exits_3_and_marks_findings_unknown(city_copy: SampleCity, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, first = audit(city_copy, out)
    undeclared = next(f for f in first["findings"] if f["code"] == "INV001")
    observers = {e["source"].split("/")[-2] for e in undeclared["evidence"] if "/" in e["source"]}
    assert observers, undeclared
    victims = sorted(observers | {d.name for d in sorted(city_copy.captures_dir.iterdir())[:3]})
    for name in victims:
        shutil.rmtree(city_copy.captures_dir / name, ignore_errors=True)

    code, second = audit(city_copy, out, "--baseline", "last", "--fail-on", "low", "--max-failed", "2")
    assert code == 3
    assert second["run"]["degraded"] is True
    diff = second["diff"]
    assert undeclared["key"] in keys(diff["unknown"])
    assert undeclared["key"] not in keys(diff["resolved"])

    # within the limit the run is not degraded, and the new INV002 findings give exit 1
    code, _ = audit(city_copy, out, "--baseline", "1", "--fail-on", "low", "--max-failed", "50%")
    assert code == 1


def test_history_and_diff_commands(city_copy: SampleCity, tmp_path: Path) -> None:
    out = tmp_path / "out"
    audit(city_copy, out)
    config = city_copy.captures_dir / ios_device_with_lldp(city_copy) / "show_running-config.txt"
    config.write_text(config.read_text(encoding="utf-8") + "\nntp server 192.0.2.123\n", encoding="utf-8")
    audit(city_copy, out)
    runner = CliRunner()
    listed = runner.invoke(app, ["history", "--store", str(out / "history.sqlite")])
    assert listed.exit_code == 0
    assert re.search(r"^\W*1\W", listed.stdout, re.M) and re.search(r"^\W*2\W", listed.stdout, re.M)
    shown = runner.invoke(app, ["diff", "1", "2", "--store", str(out / "history.sqlite"), "--format", "json"])
    assert shown.exit_code == 0
    changes = json.loads(shown.stdout)["config_changes"]
    assert list(changes) == [config.parent.name] and "+ntp server 192.0.2.123" in changes[config.parent.name]
    bad = runner.invoke(app, ["diff", "1", "9", "--store", str(out / "history.sqlite")])
    assert bad.exit_code == 2 and "no run 9" in bad.stderr


def test_on_new_findings_runs_the_command_with_the_report(city_copy: SampleCity, tmp_path: Path) -> None:
    out = tmp_path / "out"
    audit(city_copy, out)
    shutil.rmtree(next(p for p in sorted(city_copy.captures_dir.iterdir())))
    marker = tmp_path / "notified"
    hook = tmp_path / "hook.sh"
    hook.write_text(f'#!/bin/sh\necho "$1" > {marker}\n')
    hook.chmod(0o755)
    audit(city_copy, out, "--baseline", "last", "--on-new-findings", str(hook))
    assert Path(marker.read_text().strip()) == out / "netcensus-report.json"


def test_second_concurrent_run_is_refused(city_copy: SampleCity, tmp_path: Path) -> None:
    from netcensus.store import StoreLock

    out = tmp_path / "out"
    with StoreLock(out / "history.sqlite.lock"):
        code, _ = audit(city_copy, out)
    assert code == 2


#: Runs ``netcensus audit`` (the arguments after the first two) in this process with one
#: pause point added: there it writes the marker file (the event the test waits for) and
#: waits for the test's SIGKILL. The audit's own code runs unchanged up to that point.
PAUSED_AUDIT = r'''
import os, sys, time
from pathlib import Path

import netcensus.job as job
import netcensus.store as store
from netcensus.cli import app

point, marker, args = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]


def wait_for_the_kill():
    marker.write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(300)
    sys.exit(f"{point}: no SIGKILL came")


def pause_before(owner, name, when=lambda *a, **k: True):
    real = getattr(owner, name)
    def paused(*a, **k):
        if when(*a, **k):
            wait_for_the_kill()
        return real(*a, **k)
    setattr(owner, name, paused)


if point == "recording":  # the audit done, nothing of the run written; its capture archive under way or done
    pause_before(store.SQLiteStore, "record")
elif point == "staging":  # inside the run's open transaction, two reports staged
    staged = []
    pause_before(job.ReportWriter, "_render", lambda *a, **k: staged.append(1) or len(staged) == 3)
elif point == "committed":  # the run committed, its archive not yet renamed, no report published
    pause_before(os, "replace", lambda src, dst, *a, **k: Path(src).name.startswith(".pending-"))
elif point == "publishing":  # the first report moved into place, the others not yet
    moved = []
    pause_before(os, "replace", lambda src, dst, *a, **k: ".rendering-" in str(src)
                 and ".rendering-" not in str(dst) and (moved.append(1) or len(moved) == 2))
else:
    sys.exit(f"unknown point {point}")
app(args=args, prog_name="netcensus")
'''


def killed_at(point: str, cmd: list[str], tmp_path: Path, out: Path) -> bool:
    """Start an audit and SIGKILL it at ``point``: when the child says it is there (a marker
    file), or, for ``observed``, when its report staging folder appears (an unchanged audit).
    False if an ``observed`` audit finished (exit 0) before the test saw that folder."""
    marker = tmp_path / f"at-{point}"
    earlier = set(out.glob(".rendering-*"))  # what killed runs left

    def reached() -> bool:
        return bool(set(out.glob(".rendering-*")) - earlier) if point == "observed" else marker.exists()

    if point == "observed":
        argv = [sys.executable, "-m", "netcensus.cli", *cmd]
    else:
        argv = [sys.executable, "-c", PAUSED_AUDIT, point, str(marker), *cmd]
    log = tmp_path / f"{point}.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=sink)
    try:
        deadline = time.monotonic() + 120
        while not reached() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        if point == "observed" and proc.poll() == 0:
            return False  # too quick for the test's eye (a busy machine): the caller tries again
        assert proc.poll() is None, f"{point}: the audit ended first\n{log.read_text(errors='replace')}"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        return True
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def reports_of(out: Path) -> dict[str, tuple[int, bytes]]:
    """Each published report: (inode, content). A report is replaced whole: a new inode."""
    return {p.name: (p.stat().st_ino, p.read_bytes()) for p in sorted(out.glob("netcensus-*")) if p.is_file()}


def consistent_runs(out: Path) -> list[int]:
    """The recorded run ids, once the store is checked whole and its newest run reads back."""
    store = SQLiteStore(out / "history.sqlite")
    try:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r.id for r in store.runs()]
        newest = store.run(ids[-1])
        assert newest.device_status and newest.findings
        if newest.archive and newest.archive.startswith("run-"):
            assert (store.archive_dir / newest.archive).is_file()
        return ids
    finally:
        store.close()


def test_sigkill_at_each_point_that_matters_leaves_store_and_reports_consistent(
        city_copy: SampleCity, tmp_path: Path) -> None:
    """A real SIGKILL of a real audit at each stage where something is half done: the
    capture archive under way, the run's transaction open with reports half staged, the run
    committed before its archive and reports are in place, the reports half published, and
    once with no pause at all (killed as soon as its staging folder shows). Each time the
    store is whole, a run is recorded only if it committed, the reports are whole (the
    previous ones until publishing starts), and the next run works with nothing new and
    clears what the killed runs left (capture archives, report staging folders)."""
    out = tmp_path / "out"
    # --stale-after: with staleness on, the planted uncollected device's INV005 would depend
    # on how many killed runs got recorded. The facts cache is on, as in a nightly job.
    options = ["--stale-after", "1000", "--baseline", "last"]
    cmd = ["audit", str(city_copy.inventory_dir), "--captures", str(city_copy.captures_dir), "--out", str(out),
           "--today", TODAY, "--quiet", *options]
    code, first = audit(city_copy, out, *options)  # in this process: the killed ones are not
    assert code == 0 and first["run"]["id"] == 1
    assert consistent_runs(out) == [1]
    published = reports_of(out)
    assert "netcensus-report.json" in published and len(published) > 3

    for point, recorded in (("recording", [1]), ("staging", [1]), ("committed", [1, 2])):
        killed_at(point, cmd, tmp_path, out)
        assert consistent_runs(out) == recorded, point
        assert reports_of(out) == published, point  # nothing published before the run is

    killed_at("publishing", cmd, tmp_path, out)
    assert consistent_runs(out) == [1, 2, 3]
    now = reports_of(out)
    assert set(now) == set(published)
    replaced = [name for name in now if now[name][0] != published[name][0]]
    assert len(replaced) == 1, replaced  # one report moved into place, whole; the rest untouched
    assert all(now[name] == published[name] for name in now if name not in replaced)
    assert json.loads(now["netcensus-report.json"][1])["run"]["id"] in (1, 3)

    finished = 0  # observed runs that ended before the kill
    while not killed_at("observed", cmd, tmp_path, out):
        finished += 1
        assert finished < 3, "the audit always finished before its staging folder was seen"
    ids = consistent_runs(out)
    assert ids in (list(range(1, 4 + finished)), list(range(1, 5 + finished)))  # committed or not
    reports = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("netcensus-*.json")}
    assert len(reports) == 3 and reports["netcensus-report.json"]["run"]["id"] in ids  # whole, old or new

    code, final = audit(city_copy, out, *options, "--fail-on", "low")
    assert code == 0  # the next run works, and finds nothing new
    assert final["run"]["id"] == ids[-1] + 1 and final["diff"]["base_run"] == ids[-1] and final["diff"]["new"] == []
    assert consistent_runs(out) == [*ids, ids[-1] + 1]
    assert json.loads((out / "netcensus-report.json").read_text(encoding="utf-8"))["run"]["id"] == ids[-1] + 1
    assert not list((out / "history.sqlite.runs").glob(".pending-*"))  # killed runs' archives cleared
    assert not list(out.glob(".rendering-*"))  # and their report staging folders


def test_device_missing_for_several_runs_becomes_stale(city_copy: SampleCity, tmp_path: Path) -> None:
    out = tmp_path / "out"
    audit(city_copy, out)
    victim = sorted(p.name for p in city_copy.captures_dir.iterdir() if p.is_dir())[0]
    shutil.rmtree(city_copy.captures_dir / victim)
    _, second = audit(city_copy, out, "--stale-after", "1")
    assert f"INV005:{victim}" not in keys(second["findings"])  # one missed run is not yet stale
    _, third = audit(city_copy, out, "--stale-after", "1")
    stale = next(f for f in third["findings"] if f["key"] == f"INV005:{victim}")
    assert stale["args"]["runs"] == 2
    store = SQLiteStore(out / "history.sqlite")
    try:
        assert store.last_success(victim)[0] == 1  # its last good collection is kept
    finally:
        store.close()


def test_each_run_records_line_utilisation_for_lin004(city_copy: SampleCity, tmp_path: Path) -> None:
    """The devices' own rates at each line's end are kept per run and read back by the next."""
    out = tmp_path / "out"
    for _ in range(3):
        audit(city_copy, out)
    store = SQLiteStore(out / "history.sqlite")
    try:
        samples = store.utilisation_samples()
    finally:
        store.close()
    assert samples and all(len(rows) == 3 for rows in samples.values())
    _, rows = next(iter(sorted(samples.items())))
    assert all(i >= 0 and o >= 0 for _, i, o, _ in rows)
    assert "(A end)" in rows[0][3] or "(Z end)" in rows[0][3]


def test_underused_line_is_found_from_stored_samples(city_copy: SampleCity, tmp_path: Path) -> None:
    """With enough recorded runs, a line whose rate stays low becomes LIN004."""
    from netcensus.store import RunRecord

    out = tmp_path / "out"
    audit(city_copy, out)
    store = SQLiteStore(out / "history.sqlite")
    try:
        clean = json.loads(city_copy.planted_path.read_text(encoding="utf-8"))["clean"]
        protected = set(clean["classified_circuits"]) | set(clean["mandated_circuits"])
        line = next(c for c in sorted(store.utilisation_samples()) if c not in protected)
        run = store.run(1)
        # sixty quiet nights of that line, 1 Mbit/s each way: the two real samples (the first
        # run's and the next one's) stay above the 95th percentile
        for night in range(60):
            store.record(RunRecord(**{**{k: getattr(run, k) for k in (
                "started", "finished", "inventory", "captures", "inventory_digest", "facts_digest",
                "device_status", "configs", "findings", "entities")},
                "utilisation": {line: (f"2025-{night // 28 + 3:02d}-{night % 28 + 1:02d}T02:00:00+00:00",
                                        1.0, 1.0, "nms")}}))
    finally:
        store.close()
    _, report = audit(city_copy, out)
    assert f"LIN004:{line}" in keys(report["findings"])


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                    reason="mounts a small tmpfs in a private mount namespace: needs root and unshare")
def test_a_full_disk_is_a_clear_error_and_loses_nothing(city_copy: SampleCity, tmp_path: Path) -> None:
    """A real full disk (an 8 MiB tmpfs), full from the start or running out part-way
    (0, 150 and 400 KiB left: the lock, the store, the archive, the reports): exit 2 with the
    reason, no traceback, the previous reports byte for byte, the store consistent and
    without a half run, and the next run fine once there is room."""
    small, kept = tmp_path / "small", tmp_path / "kept"
    small.mkdir()
    kept.mkdir()
    report, fill = shlex.quote(str(small / "out" / "netcensus-report.json")), shlex.quote(str(small / "fill"))
    audit_cmd = shlex.join([sys.executable, "-m", "netcensus.cli", "audit", str(city_copy.inventory_dir),
                            "--captures", str(city_copy.captures_dir), "--out", str(small / "out"),
                            "--today", TODAY, "--quiet", "--no-cache", "--baseline", "last"])
    check_store = shlex.join([sys.executable, "-c", (
        "import sys; from netcensus.store import SQLiteStore; s = SQLiteStore(sys.argv[1]); "
        "print('integrity', s.conn.execute('PRAGMA integrity_check').fetchone()[0], 'runs', len(s.runs()))"),
        str(small / "out" / "history.sqlite")])
    script = f"""
        mount -t tmpfs -o size=8m netcensus-test {shlex.quote(str(small))} || exit 90
        {audit_cmd}; echo "first=$?"
        for left in 0 150 400; do
            cp {report} {shlex.quote(str(kept))}/report.json
            avail=$(df --output=avail -k {shlex.quote(str(small))} | tail -1)
            dd if=/dev/zero of={fill} bs=1k count=$((avail - left)) 2>/dev/null
            {audit_cmd} 2>&1; echo "left $left: exit=$?"
            cmp -s {report} {shlex.quote(str(kept))}/report.json && echo "left $left: reports kept"
            rm {fill}
            {check_store}
        done
        {audit_cmd}; echo "after=$?"
        {check_store}
    """
    done = subprocess.run(["unshare", "--mount", "sh", "-c", script], capture_output=True, text=True, timeout=600)
    if done.returncode == 90:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    out = done.stdout
    assert "first=0" in out, done.stderr
    assert "Traceback" not in out, out
    runs = 1
    for left in (0, 150, 400):
        if f"left {left}: exit=0" in out:  # enough room after all (a smaller archive, say)
            runs += 1
            continue
        assert f"left {left}: exit=2" in out and "No space left on device" in out, out
        assert f"left {left}: reports kept" in out, out
    assert "left 0: exit=2" in out  # a disk full from the start always fails
    integrity = re.findall(r"integrity (\S+) runs (\d+)", out)
    assert [status for status, _ in integrity] == ["ok"] * 4, out
    assert int(integrity[-2][1]) == runs  # no failed run was recorded, whole or half
    assert "after=0" in out and int(integrity[-1][1]) == runs + 1, out


def test_the_first_nightly_run_with_a_baseline_has_nothing_to_compare(city_copy: SampleCity, tmp_path: Path) -> None:
    """A job set up with --baseline last works from its first night; an unknown run id is still an error."""
    code, report = audit(city_copy, tmp_path / "out", "--baseline", "last")
    assert code == 0 and report.get("diff") is None and report["run"]["id"] == 1
    code, report = audit(city_copy, tmp_path / "out", "--baseline", "previous")
    assert code == 0 and report.get("diff") is None  # one run recorded: no previous one yet
    code, report = audit(city_copy, tmp_path / "out", "--baseline", "last")
    assert code == 0 and report["diff"]["base_run"] == 2
    result = CliRunner().invoke(app, ["audit", str(city_copy.inventory_dir), "--captures", str(city_copy.captures_dir),
                                      "--out", str(tmp_path / "out"), "--today", TODAY, "--baseline", "99"])
    assert result.exit_code == 2 and "99" in result.output
