"""The offline collector: reads saved outputs from a capture directory.

It doubles as the test double of the live collectors: tests and offline audits
go through the same parsers as a live survey.
"""

from __future__ import annotations

import time
from pathlib import Path

from collectors.base import RawOutputs
from collectors.capture import TMP_SUFFIX, device_dir, output_path
from collectors.facts import CommandProblem
from collectors.platforms import PLATFORMS
from inventory.model import Device


class OfflineCollector:
    """Collect a device by reading ``<captures>/<device>/<command>.txt`` files."""

    def __init__(self, captures: Path | str):
        self.captures = Path(captures)

    def collect(self, device: Device) -> RawOutputs:
        """Read every command file of the device's platform; report what is missing."""
        start = time.perf_counter()
        platform = PLATFORMS.get(device.platform)
        if platform is None:
            return RawOutputs(device.name, device.platform, status="error",
                              error=f"unknown platform {device.platform!r}")
        folder = device_dir(self.captures, device.name)
        if not folder.is_dir():
            return RawOutputs(device.name, device.platform, status="missing",
                              error=f"no capture folder {folder}")
        from collectors.napalm_facts import has_napalm_capture, read_napalm_capture

        if has_napalm_capture(folder):  # napalm getter JSON instead of command outputs
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
            paths = [output_path(self.captures, device.name, cmd.command) for cmd in group]
            for cmd, path in zip(group, paths, strict=True):
                if path.is_file():
                    outputs[cmd.command] = path.read_text(encoding="utf-8", errors="replace")
            interrupted = [(cmd, path) for cmd, path in zip(group, paths, strict=True)
                           if cmd.command not in outputs and path.with_name(path.name + TMP_SUFFIX).exists()]
            for cmd, path in interrupted:
                problems.append(CommandProblem(cmd.command, "incomplete",
                                               f"{path.name}{TMP_SUFFIX}: interrupted write, ignored"))
            if not interrupted and not any(cmd.command in outputs for cmd in group):
                names = " nor ".join(str(path) if i == 0 else path.name for i, path in enumerate(paths))
                problems.append(CommandProblem(group[0].command, "missing", f"no file {names}"))
        status = "ok" if not problems else ("partial" if outputs else "missing")
        return RawOutputs(device.name, device.platform, outputs, status=status,
                          problems=tuple(problems), elapsed_s=time.perf_counter() - start)
