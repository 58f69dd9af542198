"""The capture directory layout, shared by the offline and live collectors.

::

    CAPTURES/
      manifest.json                 # written by the live collector (run metadata)
      <device name>/                # one folder per device, named as in the inventory
        show_version.txt            # one file per command: collectors.platforms.command_filename
        show_running-config.txt
        ...

Files are UTF-8 text (undecodable bytes are replaced). A writer writes
``<file>.tmp`` and renames it, so a file without ``.tmp`` is complete; a leftover
``.tmp`` marks an interrupted write and is reported, never parsed.
"""

from __future__ import annotations

import os
from pathlib import Path

from collectors.platforms import command_filename

TMP_SUFFIX = ".tmp"


def device_dir(captures: Path, device: str) -> Path:
    """The folder holding one device's outputs."""
    return captures / device


def output_path(captures: Path, device: str, command: str) -> Path:
    """The file holding one command's output for one device."""
    return device_dir(captures, device) / command_filename(command)


def write_output(captures: Path, device: str, command: str, text: str) -> Path:
    """Write one output atomically (temporary name, fsync, rename)."""
    return write_file(output_path(captures, device, command), text)


def write_file(path: Path, text: str) -> Path:
    """Write any capture file atomically (temporary name, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + TMP_SUFFIX)
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path
