"""The run manifest on disk: round trip, resume eligibility, unreadable files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collectors.manifest import (
    DeviceRecord,
    Manifest,
    complete_devices,
    read_manifest,
    tool_versions,
    write_manifest,
)
from core.errors import CaptureError


def _record(status: str, files: list[str]) -> DeviceRecord:
    return DeviceRecord(status=status, platform="cisco_ios", transport="netmiko", host="10.0.0.1", port=22,
                        credentials_profile="default", files=files)


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    manifest = Manifest(started="2026-01-01T00:00:00+00:00", finished="2026-01-01T00:01:00+00:00",
                        versions=tool_versions(), options={"workers": 3},
                        devices={"r1": _record("ok", ["show_version.txt"]), "r2": _record("timeout", [])})
    write_manifest(tmp_path, manifest)
    again = read_manifest(tmp_path)
    assert again == manifest
    data = json.loads((tmp_path / "manifest.json").read_text())
    assert data["summary"] == {"ok": 1, "timeout": 1}
    assert {"netcensus", "netmiko", "napalm"} <= set(data["versions"])


def test_resume_trusts_only_complete_devices_whose_files_exist(tmp_path: Path) -> None:
    (tmp_path / "r1").mkdir()
    (tmp_path / "r1" / "show_version.txt").write_text("x")
    manifest = Manifest(started="t", devices={
        "r1": _record("ok", ["show_version.txt"]),
        "r2": _record("ok", ["show_version.txt"]),  # folder deleted since
        "r3": _record("timeout", []),
        "r4": _record("partial", ["show_version.txt"]),
    })
    assert set(complete_devices(tmp_path, manifest)) == {"r1"}
    assert complete_devices(tmp_path, None) == {}


def test_no_manifest_is_none_and_a_broken_one_names_the_file(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) is None
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(CaptureError, match=r"manifest\.json"):
        read_manifest(tmp_path)
