"""The offline collector: reads saved outputs from a capture directory.

It doubles as the test double of the live collectors: tests and offline audits
go through the same parsers as a live survey.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from collectors.base import RawOutputs
from collectors.capture import TMP_SUFFIX, device_dir
from collectors.facts import CommandProblem
from collectors.platforms import PLATFORMS, command_filename
from inventory.model import Device


#: A folder with an entry changed less than this long ago gets no fingerprint: file
#: times come from a coarse clock, so a file rewritten in place within one tick, to the
#: same size, would keep them (git's "racy clean" problem, solved the same way).
SETTLED_S = 2.0


class OfflineCollector:
    """Collect a device by reading ``<captures>/<device>/<command>.txt`` files."""

    def __init__(self, captures: Path | str):
        self.captures = Path(captures)

    def fingerprint(self, device: Device) -> str | None:
        """A cheap fingerprint of what :meth:`collect` would read for ``device``, or None.

        The device's name, platform and folder, and each entry of it: name, inode, size,
        modification and change times (one ``stat`` each, no file read). Equal fingerprints
        mean equal raw outputs, so the facts cache can skip reading and hashing them (git
        decides what to re-hash the same way). None when the folder cannot be listed or
        changed within the last :data:`SETTLED_S` seconds.
        """
        folder = os.path.abspath(device_dir(self.captures, device.name))
        try:
            with os.scandir(folder) as entries:
                stats = sorted((e.name, e.stat()) for e in entries)  # stat through symlinks, as collect() reads
        except OSError:
            return None
        if stats and max(max(s.st_mtime_ns, s.st_ctime_ns) for _, s in stats) > time.time_ns() - SETTLED_S * 1e9:
            return None
        entries = [(name, s.st_mode, s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns) for name, s in stats]
        return hashlib.sha256(repr((device.name, device.platform, folder, entries)).encode(
            "utf-8", "surrogateescape")).hexdigest()

    def collect(self, device: Device) -> RawOutputs:
        """Read every command file of the device's platform; report what is missing."""
        start = time.perf_counter()
        platform = PLATFORMS.get(device.platform)
        if platform is None:
            return RawOutputs(device.name, device.platform, status="error",
                              error=f"unknown platform {device.platform!r}")
        folder = device_dir(self.captures, device.name)
        try:
            # One listing, not a stat per command file: a city has tens of thousands of them.
            names = set(os.listdir(folder))
        except (FileNotFoundError, NotADirectoryError):
            return RawOutputs(device.name, device.platform, status="missing",
                              error=f"no capture folder {folder}")
        from collectors.napalm_facts import GETTERS, napalm_filename, read_napalm_capture

        if any(napalm_filename(g) in names for g in GETTERS):  # napalm getter JSON instead of command outputs
            outputs, napalm_problems = read_napalm_capture(self.captures, device.name)
            status = "ok" if not napalm_problems else ("partial" if outputs else "missing")
            return RawOutputs(device.name, device.platform, outputs, status=status,
                              problems=tuple(napalm_problems), elapsed_s=time.perf_counter() - start)
        outputs: dict[str, str] = {}
        problems: list[CommandProblem] = []
        # One file per alternative group is enough: the JSON one, the text one (older
        # saved outputs) or both; only a group with no file at all is "missing". A
        # leftover .tmp (an interrupted write) is reported whatever its group holds.
        for group in platform.groups:
            files = [command_filename(cmd.command) for cmd in group]
            for cmd, name in zip(group, files, strict=True):
                text = _read_text(os.path.join(folder, name)) if name in names else None
                if text is not None:
                    outputs[cmd.command] = text
            interrupted = [(cmd, name) for cmd, name in zip(group, files, strict=True)
                           if cmd.command not in outputs and name + TMP_SUFFIX in names]
            for cmd, name in interrupted:
                problems.append(CommandProblem(cmd.command, "incomplete",
                                               f"{name}{TMP_SUFFIX}: interrupted write, ignored"))
            if not interrupted and not any(cmd.command in outputs for cmd in group):
                paths = [folder / name for name in files]
                names_text = " nor ".join(str(p) if i == 0 else p.name for i, p in enumerate(paths))
                problems.append(CommandProblem(group[0].command, "missing", f"no file {names_text}"))
        status = "ok" if not problems else ("partial" if outputs else "missing")
        return RawOutputs(device.name, device.platform, outputs, status=status,
                          problems=tuple(problems), elapsed_s=time.perf_counter() - start)


def _read_text(path: str) -> str | None:
    """A capture file as text (undecodable bytes replaced); None if it is not a file (any more)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except (FileNotFoundError, IsADirectoryError):
        return None
