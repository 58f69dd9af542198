"""No secret in any stored artefact: the secret corpus through every command that writes files.

A lab of six devices (one per platform) whose configurations carry the whole secret corpus
(``secret_corpus.py``, over 150 secret-bearing lines, each secret a unique token) is
audited offline with the history store, audited again with ``--baseline last``, diffed,
listed, and exported to Nornir, Ansible and Batfish; the live part serves the same
captures from the SSH emulator on 127.0.0.1 and collects them with ``netcensus collect``
and ``netcensus audit --collect``. Then every file written (reports, the SQLite store
dumped with ``iterdump`` and read raw, the capture archives opened member by member, the
facts cache, exports, live captures and manifest, known_hosts) and every command's
stdout/stderr is searched for every secret: there must be none.

Each run is a subprocess (``python -m netcensus.cli``), as a scheduler runs it.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from artefacts import CASE_FOLDERS, device_name, scan, write_captures, write_inventory
from secret_corpus import all_corpora
from support.emulator import EmulatedDevice, Emulator

REPO = Path(__file__).resolve().parents[2]
USER, PASSWORD = "survey", "Lab-Only-Pw1-S3cLOGINz"  # the login password is a secret too
CORPORA = all_corpora()
#: The next night: every secret rotated and the lines around them edited, so the
#: configuration diffs of the reports show context lines next to secret lines.
ROTATED = all_corpora("S4c")
SECRETS = sorted({s for c in (*CORPORA.values(), *ROTATED.values()) for s in c.secrets} | {PASSWORD})


def netcensus(*args: str | Path, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0, 1)
              ) -> tuple[str, str]:
    """Run ``netcensus ARGS`` as a subprocess; return (stdout, stderr)."""
    command = [sys.executable, "-m", "netcensus.cli", *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=300,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})
    assert done.returncode in ok, f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout, done.stderr


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("secret-lab")
    write_captures(root / "captures", CORPORA)
    write_captures(root / "captures-next", ROTATED)
    for config in (root / "captures-next").glob("*/*config*.txt"):
        edited = config.read_text(encoding="utf-8").replace(" lab", " lab, moved to rack 4")
        config.write_text(edited.replace("10.0.0.7", "10.0.0.17"), encoding="utf-8")
    write_inventory(root / "inventory")
    return root


def test_the_inputs_hold_every_secret_and_the_scanner_sees_through_containers(lab: Path, tmp_path: Path) -> None:
    """The test can fail: each secret is in the captures, and the scanner finds one hidden in
    an archive member, a gzip stream and a SQLite row."""
    assert sum(len(c.secret_lines) for c in CORPORA.values()) >= 150
    assert set(scan([lab / "captures", lab / "captures-next"], [], SECRETS)) == set(SECRETS) - {PASSWORD}
    hidden = SECRETS[:3]
    (tmp_path / "plain.txt").write_text(hidden[0])
    with tarfile.open(tmp_path / "a.tar.gz", "w:gz") as tar:
        tar.add(tmp_path / "plain.txt", arcname="x/config.txt")
    (tmp_path / "plain.txt").unlink()
    (tmp_path / "b.log.gz").write_bytes(gzip.compress(hidden[1].encode()))
    db = sqlite3.connect(tmp_path / "c.sqlite")
    db.execute("CREATE TABLE t (v TEXT)")
    db.execute("INSERT INTO t VALUES (?)", (hidden[2],))
    db.commit()
    db.close()
    found = scan([tmp_path], [], hidden)
    assert set(found) == set(hidden)
    assert any("!x/config.txt" in w for w in found[hidden[0]])
    assert any("!iterdump" in w for w in found[hidden[2]])


def test_offline_audits_history_diff_and_exports_write_no_secret(lab: Path, tmp_path: Path) -> None:
    inventory, captures, out = lab / "inventory", lab / "captures", tmp_path / "out"
    exports = tmp_path / "exports"
    outputs: list[tuple[str, str]] = []

    def run(*args: str | Path, ok: tuple[int, ...] = (0, 1)) -> None:
        stdout, stderr = netcensus(*args, ok=ok)
        outputs.extend([(f"stdout of {args[:2]}", stdout), (f"stderr of {args[:2]}", stderr)])

    run("audit", inventory, "--captures", captures, "--out", out, "--format", "json")
    run("audit", inventory, "--captures", lab / "captures-next", "--out", out, "--baseline", "last",
        "--format", "json")
    run("audit", inventory, "--captures", lab / "captures-next", "--out", out, "--baseline", "previous",
        "--lang", "zh", "--no-cache")
    run("history", "--store", out / "history.sqlite")
    for fmt in ("terminal", "json"):
        run("diff", "previous", "last", "--store", out / "history.sqlite", "--format", fmt)
    run("export", "nornir", inventory, exports / "nornir")
    run("export", "ansible", inventory, exports / "ansible" / "hosts.yml")
    run("export", "batfish", inventory, exports / "batfish", "--captures", captures)

    written = [p for p in out.rglob("*") if p.is_file()]
    archives = sorted((out / "history.sqlite.runs").glob("run-*.tar.gz"))
    assert archives and (out / ".facts-cache").is_dir() and any(p.suffix == ".html" for p in written)
    assert any((exports / "batfish").rglob("*.cfg")) or any((exports / "batfish").rglob("configs/*"))
    with tarfile.open(archives[-1]) as tar:  # the archive still holds the configurations, redacted
        names = tar.getnames()
    assert f"captures/{device_name('huawei')}/display_current-configuration.txt" in names
    second = json.loads(outputs[2][1])  # stdout of the run with --baseline last
    changes = second["diff"]["config_changes"]
    assert any("rack 4" in diff and "<redacted>" in diff for diff in changes.values()), \
        "the second run shows no configuration diff next to secret lines: the test would miss that path"

    found = scan([out, exports], outputs, SECRETS)
    assert not found, _report(found)


@pytest.mark.ssh
@pytest.mark.parametrize("transport", ["netmiko", "asyncssh"])
def test_live_collection_and_audit_write_no_secret(lab: Path, tmp_path: Path, transport: str) -> None:
    home = tmp_path / "home"  # audit --collect reads ~/.ssh/known_hosts: a home of the test's own
    (home / ".ssh").mkdir(parents=True)
    devices = [EmulatedDevice.from_capture(lab / "captures" / device_name(p), p, username=USER, password=PASSWORD)
               for p in CASE_FOLDERS]
    env = {"HOME": str(home), "NETCENSUS_DEFAULT_USERNAME": USER, "NETCENSUS_DEFAULT_PASSWORD": PASSWORD}
    outputs: list[tuple[str, str]] = []
    with Emulator(devices) as emu:
        inventory = write_inventory(tmp_path / "inventory", ports={d.name: emu.port(d.name) for d in devices})
        known_hosts = home / ".ssh" / "known_hosts"
        known_hosts.write_text("".join(emu.known_hosts_line(d.name) + "\n" for d in devices))
        live, out = tmp_path / "live-captures", tmp_path / "out"
        fast = ["--connect-timeout", "8", "--command-timeout", "15", "--transport", transport]
        stdout, stderr = netcensus("collect", inventory, "--out", live, "--known-hosts", known_hosts, *fast,
                                   env=env)
        outputs += [("collect stdout", stdout), ("collect stderr", stderr)]
        stdout, stderr = netcensus("audit", inventory, "--collect", "--captures", live, "--out", out,
                                   "--format", "json", "--transport", transport, env=env, ok=(0, 1, 3))
        outputs += [("audit --collect stdout", stdout), ("audit --collect stderr", stderr)]
    manifest = (live / "manifest.json").read_text()
    assert f'"transport": "{transport}"' in manifest
    for platform in CASE_FOLDERS:  # every device answered: the secrets went over the wire
        assert (live / device_name(platform)).is_dir(), manifest
    assert sorted((out / "history.sqlite.runs").glob("run-*.tar.gz"))
    found = scan([live, out, home], outputs, SECRETS)
    assert not found, _report(found)


def _report(found: dict[str, list[str]]) -> str:
    lines = [f"{len(found)} secrets found in artefacts:"]
    lines += [f"  {secret}: {', '.join(where[:3])}" for secret, where in sorted(found.items())]
    return "\n".join(lines)
