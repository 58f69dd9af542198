"""The offline collector: reads saved outputs from a capture directory.

It doubles as the test double of the live collectors: tests and offline audits
go through the same parsers as a live survey.

Two layouts are read, per device:

- **capture folders** (what ``netcensus collect`` writes): ``<captures>/<device>/``
  holding one file per command (or napalm getter JSON);
- **configuration backups** (Oxidized, RANCID, any "one file per device" archive): when
  a device has no capture folder, a file named after it (case-insensitively, with or
  without ``.cfg``, ``.conf`` or ``.txt``) directly in the folder, in a group sub-folder
  (Oxidized ``<group>/<device>``) or in a RANCID ``<group>/configs/<device>``. It is read
  as the output of the platform's configuration command, RANCID's header comments
  removed. Such a device is *configuration only*: the other commands were never
  expected, so their absence is no problem (its facts' ``read`` names the one command).

Every file is read through :func:`collectors.capture.read_capture`: a FIFO, a device, a
link leading outside the folder, an unreadable or oversized file is refused with a
problem naming it, for that device alone.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

from collectors.base import RawOutputs
from collectors.capture import TMP_SUFFIX, CaptureFile, device_dir, open_capture_folder, read_capture
from collectors.facts import CommandProblem
from collectors.manifest import MANIFEST_NAME
from core.platforms import PLATFORMS, Platform, command_filename
from inventory.model import Device

#: A folder with an entry changed less than this long ago gets no fingerprint: file
#: times come from a coarse clock, so a file rewritten in place within one tick, to the
#: same size, would keep them (git's "racy clean" problem, solved the same way).
SETTLED_S = 2.0


class OfflineCollector:
    """Collect a device by reading ``<captures>/<device>/<command>.txt`` files, or its
    configuration backup file when it has no folder (see the module doc)."""

    def __init__(self, captures: Path | str):
        self.captures = Path(captures)
        self._backups: dict[str, list[str]] | None = None  # built on the first device without a folder

    def fingerprint(self, device: Device) -> str | None:
        """A cheap fingerprint of what :meth:`collect` would read for ``device``, or None.

        The device's name, platform and folder, and each entry of it: name, inode, size,
        modification and change times (one ``stat`` each, no file read). Equal fingerprints
        mean equal raw outputs, so the facts cache can skip reading and hashing them (git
        decides what to re-hash the same way). None when the folder cannot be listed (a
        device read from a backup file has none: it is read every time) or changed within
        the last :data:`SETTLED_S` seconds.
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
        """Read every command file of the device's platform; report what is missing or refused."""
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
            return self._collect_backup(device, platform, folder, start)
        except OSError as exc:  # an unreadable folder fails this device, not the run
            return RawOutputs(device.name, device.platform, status="error",
                              error=f"capture folder {folder} unreadable: {exc.strerror or exc}")
        try:
            folder_fd = open_capture_folder(self.captures, folder)
        except OSError as exc:
            return RawOutputs(device.name, device.platform, status="error",
                              error=f"capture folder {folder} unreadable: {exc.strerror or exc}")
        if isinstance(folder_fd, str):  # a folder leading outside the captures
            return RawOutputs(device.name, device.platform, status="error", error=f"capture folder {folder_fd}")
        try:
            return self._collect_folder(device, platform, folder, names, folder_fd, start)
        finally:
            os.close(folder_fd)

    def _collect_folder(self, device: Device, platform: Platform, folder: Path, names: set[str],
                        folder_fd: int, start: float) -> RawOutputs:
        """A device's capture folder (open as ``folder_fd``): its command files, or napalm JSON."""
        from collectors.napalm_facts import GETTERS, napalm_filename

        if any(napalm_filename(g) in names for g in GETTERS):  # napalm getter JSON instead of command outputs
            return self._collect_napalm(device, folder, names, folder_fd, start)
        outputs: dict[str, str] = {}
        encodings: dict[str, str] = {}
        problems: list[CommandProblem] = []
        refused: list[str] = []
        # One file per alternative group is enough: the JSON one, the text one (older
        # saved outputs) or both; only a group with no file at all is "missing". A
        # leftover .tmp (an interrupted write) is reported whatever its group holds.
        for group in platform.groups:
            files = [command_filename(cmd.command) for cmd in group]
            for cmd, name in zip(group, files, strict=True):
                if name not in names:
                    continue
                read = read_capture(self.captures, folder / name, folder_fd=folder_fd)
                if read.refused:
                    problems.append(CommandProblem(cmd.command, "missing", read.refused))
                    refused.append(read.refused)
                elif read.text is not None:
                    outputs[cmd.command] = read.text
                    _note_encoding(encodings, cmd.command, read)
            interrupted = [(cmd, name) for cmd, name in zip(group, files, strict=True)
                           if cmd.command not in outputs and name + TMP_SUFFIX in names]
            for cmd, name in interrupted:
                problems.append(CommandProblem(cmd.command, "incomplete",
                                               f"{name}{TMP_SUFFIX}: interrupted write, ignored"))
            if not interrupted and not any(cmd.command in outputs for cmd in group) \
                    and not any(p.command in (c.command for c in group) for p in problems):
                paths = [folder / name for name in files]
                names_text = " nor ".join(str(p) if i == 0 else p.name for i, p in enumerate(paths))
                problems.append(CommandProblem(group[0].command, "missing", f"no file {names_text}"))
        return _raw(device, outputs, problems, refused, encodings, start)

    def _collect_napalm(self, device: Device, folder: Path, names: set[str], folder_fd: int,
                        start: float) -> RawOutputs:
        """A folder of napalm getter JSON files, read with the same care as command outputs."""
        from collectors.napalm_facts import GETTERS, napalm_filename, output_key

        outputs: dict[str, str] = {}
        encodings: dict[str, str] = {}
        problems: list[CommandProblem] = []
        refused: list[str] = []
        for getter in GETTERS:
            name = napalm_filename(getter)
            read = read_capture(self.captures, folder / name, folder_fd=folder_fd) if name in names \
                else CaptureFile(None)
            if read.refused:
                problems.append(CommandProblem(getter, "missing", read.refused))
                refused.append(read.refused)
            elif read.text is not None:
                outputs[output_key(getter)] = read.text
                _note_encoding(encodings, output_key(getter), read)
            elif name + TMP_SUFFIX in names:
                problems.append(CommandProblem(getter, "incomplete", f"{name}{TMP_SUFFIX}: interrupted write"))
            else:
                problems.append(CommandProblem(getter, "missing", f"no file {folder / name}"))
        return _raw(device, outputs, problems, refused, encodings, start)

    def _collect_backup(self, device: Device, platform: Platform, folder: Path, start: float) -> RawOutputs:
        """A device without a capture folder: its configuration backup file, if there is one."""
        found = self.backup_files(device)
        if not found:
            return RawOutputs(device.name, device.platform, status="missing",
                              error=f"no capture folder {folder} and no configuration backup named "
                                    f"{device.name}[{'|'.join(BACKUP_SUFFIXES)}] (or {device.host}, or "
                                    f"{device.name}.<domain>) in {self.captures}")
        if len(found) > 1:
            return RawOutputs(device.name, device.platform, status="error",
                              error=f"{len(found)} configuration backups match {device.name}: "
                                    f"{', '.join(found[:5])}; keep one")
        path = found[0]
        config = platform.command("config")
        if not config:
            return RawOutputs(device.name, device.platform, status="error",
                              error=f"{path}: a configuration backup, but {platform.name} devices have no "
                                    "configuration to read it as")
        command = config[0].command
        read = read_capture(self.captures, path)
        if read.refused:
            return _raw(device, {}, [CommandProblem(command, "missing", read.refused)], [read.refused], {}, start)
        if read.text is None:  # gone since the folder was listed
            return RawOutputs(device.name, device.platform, status="missing", error=f"{path}: gone while reading")
        encodings: dict[str, str] = {}
        _note_encoding(encodings, command, read)
        # Configuration only: the other commands were never expected from a backup.
        return _raw(device, {command: without_rancid_header(read.text)}, [], [], encodings, start)

    def backup_files(self, device: Device) -> list[str]:
        """The configuration backup files named after ``device`` (see the module doc), sorted:
        its name, its ``host`` (Oxidized and RANCID name a file as the ``router.db`` line
        does, often a management address or a DNS name), or a DNS name whose first label
        is the device's name (``qs-core1.county.gov.cn``)."""
        if self._backups is None:
            self._backups = _backup_index(self.captures)
        keys = {device.name.lower(), device.host.lower()} if device.host else {device.name.lower()}
        return sorted({path for key in keys for path in self._backups.get(key, [])})


#: Extensions a configuration backup file may carry (Oxidized and RANCID use none).
BACKUP_SUFFIXES = (".cfg", ".conf", ".txt")

#: RANCID's first line: ``!RANCID-CONTENT-TYPE: cisco`` (``#`` for Junos).
_RANCID_MARK = re.compile(r"^\s*([!#])\s*RANCID-CONTENT-TYPE:", re.IGNORECASE)


def without_rancid_header(text: str) -> str:
    """A RANCID-saved configuration without RANCID's header: the ``RANCID-CONTENT-TYPE``
    line and the comment lines after it (chassis, memory, image... in ``!`` or ``#``
    comments); any other text is returned as it is.

    >>> without_rancid_header("!RANCID-CONTENT-TYPE: cisco\\n!\\n!Chassis type: C3750\\n!\\nversion 15.2\\nend\\n")
    'version 15.2\\nend\\n'
    """
    lines = text.splitlines(keepends=True)
    mark = _RANCID_MARK.match(lines[0]) if lines else None
    if mark is None:
        return text
    comment = mark.group(1)
    first = 1
    while first < len(lines) and (lines[first].lstrip().startswith(comment) or not lines[first].strip()):
        first += 1
    return "".join(lines[first:])


def _backup_index(captures: Path) -> dict[str, list[str]]:
    """Every file that may be a device's configuration backup, by lower-case name (and
    name without a backup extension): the files of the folder, of its sub-folders and of
    their ``configs`` folders. Capture files (command outputs, napalm JSON, the manifest),
    hidden entries and interrupted writes are left out."""
    reserved = _capture_file_names()
    index: dict[str, list[str]] = {}

    def add(entry: os.DirEntry[str]) -> None:
        name = entry.name.lower()
        if name.startswith(".") or name in reserved or name.endswith(TMP_SUFFIX):
            return
        stem, ext = os.path.splitext(name)
        key = stem if ext in BACKUP_SUFFIXES else name
        index.setdefault(key, []).append(entry.path)
        host = _dns_host_label(key)
        if host:  # a file named by the device's DNS name is found by its first label too
            index.setdefault(host, []).append(entry.path)

    for entry in _entries(captures):
        if not _is_dir(entry):
            add(entry)
        elif not entry.name.startswith("."):
            for inner in _entries(entry.path):
                if not _is_dir(inner):
                    add(inner)
                elif inner.name == "configs":  # RANCID: <group>/configs/<device>
                    for config in _entries(inner.path):
                        if not _is_dir(config):
                            add(config)
    return index


def _dns_host_label(name: str) -> str | None:
    """The first label of a DNS name (``qs-core1`` of ``qs-core1.county.gov.cn``); ``None``
    for a name with no dot, an IPv4 address (a file named ``10.1.2.3`` is no device ``10``),
    or a name ending like a saved copy rather than a domain (``r1.cfg.old``, ``r1.bak``).

    >>> _dns_host_label("qs-core1.county.gov.cn"), _dns_host_label("10.70.254.2"), _dns_host_label("r1")
    ('qs-core1', None, None)
    >>> _dns_host_label("r1.cfg.old"), _dns_host_label("r1.2024-05-01")
    (None, None)
    """
    first, dot, rest = name.partition(".")
    if not dot or not first or not rest or _IPV4.fullmatch(name):
        return None
    labels = rest.split(".")
    if not labels[-1].isalpha() or _NOT_A_DOMAIN.intersection(labels):
        return None
    return first


_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
#: Name parts that mark a saved copy of a file, not a DNS domain.
_NOT_A_DOMAIN = frozenset({"cfg", "conf", "txt", "bak", "old", "orig", "new", "prev", "save", "saved", "backup",
                           "tmp", "swp", "diff", "log"})


def _entries(folder: str | Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError:  # an unreadable group folder holds nothing we can read anyway
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _capture_file_names() -> set[str]:
    from collectors.napalm_facts import GETTERS, napalm_filename

    names = {command_filename(c.command).lower() for p in PLATFORMS.values() for c in p.commands}
    return names | {napalm_filename(g).lower() for g in GETTERS} | {MANIFEST_NAME}


def _note_encoding(encodings: dict[str, str], key: str, read: CaptureFile) -> None:
    if read.encoding and read.encoding != "utf-8":
        encodings[key] = read.encoding


def _raw(device: Device, outputs: dict[str, str], problems: list[CommandProblem], refused: list[str],
         encodings: dict[str, str], start: float) -> RawOutputs:
    """The device's raw outputs with its status: ``ok``, ``partial`` (some problems),
    ``missing`` (nothing at all) or ``error`` (nothing readable, some file refused)."""
    if not problems:
        status = "ok"
    elif outputs:
        status = "partial"
    else:
        status = "error" if refused else "missing"
    error = None
    if refused:
        error = refused[0] if len(refused) == 1 else f"{len(refused)} capture files refused, first: {refused[0]}"
    return RawOutputs(device.name, device.platform, outputs, status=status, error=error,
                      problems=tuple(problems), elapsed_s=time.perf_counter() - start, encodings=encodings)
