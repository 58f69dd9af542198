"""Secrets written before a redactor gap was closed do not stay on disk.

Archives and stored configurations are covered in tests/netcensus/test_store_archive.py;
this is the facts cache: entries written by another parser (every redaction rule is part
of the parser's digest) can never be read again, and may hold configurations redacted by
older rules, so opening the cache with a new parser overwrites them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import netcensus.cache as cache_module
from collectors.base import RawOutputs
from collectors.facts import DeviceFacts
from netcensus.cache import FactsCache


def test_a_new_parser_overwrites_the_entries_of_the_old_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = RawOutputs("r1", "cisco_ios", {"show running-config": "x"})
    old = FactsCache(tmp_path)
    old.put(raw, DeviceFacts("r1", "cisco_ios", config="dot11 ssid C\n wpa-psk ascii 0 CachedGapSecret\n"))
    old.remember("r1", "fp", raw)
    old.close()
    assert b"CachedGapSecret" in (tmp_path / FactsCache.FILE).read_bytes() + _wal(tmp_path)

    monkeypatch.setattr(cache_module, "parser_digest", lambda: "a-newer-parser")
    new = FactsCache(tmp_path)
    assert new.get(raw) is None and new.recall("r1", "fp") is None
    new.close()
    assert b"CachedGapSecret" not in (tmp_path / FactsCache.FILE).read_bytes() + _wal(tmp_path)


def test_the_same_parser_keeps_its_entries(tmp_path: Path) -> None:
    raw = RawOutputs("r1", "cisco_ios", {"show running-config": "x"})
    first = FactsCache(tmp_path)
    first.put(raw, DeviceFacts("r1", "cisco_ios", config="hostname r1\n"))
    first.close()
    assert FactsCache(tmp_path).get(raw) is not None


def _wal(folder: Path) -> bytes:
    wal = folder / (FactsCache.FILE + "-wal")
    return wal.read_bytes() if wal.exists() else b""


def test_the_first_run_after_a_rule_change_shows_no_old_secret_in_its_diff(tmp_path: Path) -> None:
    """The baseline's configurations are redacted again before the diff reads them: otherwise the
    report would show ``- <old line with the secret>`` against the newly redacted line."""
    import json
    import sqlite3
    import subprocess
    import sys

    from artefacts import device_name, scan, write_captures, write_inventory
    from secret_corpus import all_corpora

    repo = Path(__file__).resolve().parents[2]
    inventory = write_inventory(tmp_path / "inventory")
    write_captures(tmp_path / "night1", all_corpora("S5c"))
    write_captures(tmp_path / "night2", all_corpora("S6c"))
    out = tmp_path / "out"

    def audit(captures: Path, *extra: str) -> str:
        done = subprocess.run([sys.executable, "-m", "netcensus.cli", "audit", str(inventory), "--captures",
                               str(captures), "--out", str(out), "--format", "json", *extra],
                              capture_output=True, text=True, cwd=repo, timeout=300)
        assert done.returncode in (0, 1), done.stderr
        return done.stdout + done.stderr

    audit(tmp_path / "night1")
    # What an older redactor left in the store: a wireless key it did not know.
    db = sqlite3.connect(out / "history.sqlite")
    (digest,) = db.execute("SELECT config_digest FROM device_runs WHERE device = ?",
                           (device_name("cisco_ios"),)).fetchone()
    db.execute("UPDATE configs SET text = text || ? WHERE digest = ?",
               ("dot11 ssid OLD\n wpa-psk ascii 0 StaleGapSecret\n", digest))
    db.execute("INSERT OR REPLACE INTO redaction VALUES ('configs', 'older-rules')")
    db.commit()
    db.close()

    printed = audit(tmp_path / "night2", "--baseline", "last")
    assert json.loads(printed[:printed.rindex("}") + 1])["diff"]["config_changes"]  # the diff was shown
    found = scan([out], [("audit output", printed)], ["StaleGapSecret"])
    assert not found, found
