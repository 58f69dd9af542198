"""The run manifest: ``<captures>/manifest.json``, what a live collection did and how it went.

::

    {
      "format": 1,
      "versions": {"netcensus": "0.1.0", "netmiko": "4.8.0", "napalm": "5.2.0", ...},
      "started": "2026-11-27T16:00:00+00:00", "finished": "...", "interrupted": false,
      "options": {"workers": 20, "host_keys": "strict", "filters": {...}, ...},
      "summary": {"ok": 198, "timeout": 2},
      "devices": {
        "core1": {"status": "ok", "platform": "cisco_ios", "transport": "netmiko",
                  "host": "10.0.0.1", "port": 22, "started": "...", "duration_s": 1.42,
                  "attempts": 1, "error": null, "problems": [], "files": ["show_version.txt", ...],
                  "from_previous_run": false}
      }
    }

It holds no credential: not even the username, only the profile's name. It is
rewritten atomically while the run goes on, so an interrupted run leaves a
manifest of what finished; ``--resume`` trusts a device only when the manifest
says it completed *and* its files are all there.
"""

from __future__ import annotations

import datetime as dt
import json
import platform as _platform
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from collectors.capture import device_dir, read_capture, write_file
from core.errors import CaptureError, Problem

MANIFEST_NAME = "manifest.json"
FORMAT = 1
#: Statuses whose files are a complete collection (re-collecting would not change them).
COMPLETE_STATUSES = frozenset({"ok", "parse_failed"})
#: Statuses of a device whose collection completed, whole or in part (the others failed).
COLLECTED_STATUSES = frozenset({"ok", "partial", "parse_failed"})


@dataclass
class DeviceRecord:
    """How one device's collection went."""

    status: str
    platform: str
    transport: str
    host: str
    port: int
    credentials_profile: str
    started: str | None = None
    duration_s: float = 0.0
    attempts: int = 0
    error: str | None = None
    problems: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    from_previous_run: bool = False

    @property
    def collected(self) -> bool:
        """Whether the collection completed, whole or in part (:data:`COLLECTED_STATUSES`)."""
        return self.status in COLLECTED_STATUSES


@dataclass
class Manifest:
    """The whole run."""

    started: str
    finished: str | None = None
    interrupted: bool = False
    versions: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    devices: dict[str, DeviceRecord] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        """Devices per status, most common first."""
        counts: dict[str, int] = {}
        for record in self.devices.values():
            counts[record.status] = counts.get(record.status, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_json(self) -> str:
        """The manifest as stable, indented JSON."""
        data = {
            "format": FORMAT,
            "versions": self.versions,
            "started": self.started,
            "finished": self.finished,
            "interrupted": self.interrupted,
            "options": self.options,
            "summary": self.summary(),
            "devices": {name: asdict(rec) for name, rec in sorted(self.devices.items())},
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def now() -> str:
    """The current UTC time, ISO 8601, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def tool_versions() -> dict[str, str]:
    """Versions of netcensus and the collection stack, for reproducibility."""
    versions = {"python": _platform.python_version()}
    for dist in ("netcensus", "netmiko", "napalm", "paramiko", "asyncssh", "ntc-templates", "textfsm"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return versions


def write_manifest(captures: Path, manifest: Manifest) -> Path:
    """Write ``manifest.json`` atomically."""
    return write_file(Path(captures) / MANIFEST_NAME, manifest.to_json())


def read_manifest(captures: Path) -> Manifest | None:
    """The manifest of a capture directory, None when there is none.

    Raises :class:`CaptureError` naming the file when it exists but is unreadable. It is read
    as any capture file handed in by others (:func:`collectors.capture.read_capture`: no link
    leading outside, bounded in size).
    """
    path = Path(captures) / MANIFEST_NAME
    if not path.is_file():
        return None
    read = read_capture(captures, path)
    if read.refused:
        raise CaptureError([Problem(str(path), None, None, f"unreadable manifest ({read.refused}); "
                                                           "move it away to collect afresh")])
    if read.text is None:
        return None  # gone since
    try:
        data = json.loads(read.text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"expected a manifest of format {FORMAT}")
        devices = {name: DeviceRecord(**rec) for name, rec in (data.get("devices") or {}).items()}
        return Manifest(started=data["started"], finished=data.get("finished"),
                        interrupted=bool(data.get("interrupted")), versions=data.get("versions") or {},
                        options=data.get("options") or {}, devices=devices)
    except RecursionError:  # a hostile document nested thousands deep
        raise CaptureError([Problem(str(path), None, None, "unreadable manifest (JSON nested too deeply); "
                                                           "move it away to collect afresh")]) from None
    except (ValueError, TypeError, KeyError) as exc:
        line = getattr(exc, "lineno", None)
        raise CaptureError([Problem(str(path), line, None,
                                    f"unreadable manifest ({exc}); move it away to collect afresh")]) from None


def complete_devices(captures: Path, manifest: Manifest | None) -> dict[str, DeviceRecord]:
    """Devices a resumed run may skip: completed before, with every recorded file present."""
    if manifest is None:
        return {}
    done: dict[str, DeviceRecord] = {}
    for name, record in manifest.devices.items():
        folder = device_dir(Path(captures), name)
        if record.status in COMPLETE_STATUSES and record.files and all(
            (folder / f).is_file() for f in record.files
        ):
            done[name] = record
    return done
