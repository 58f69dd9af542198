"""The capture directory layout, shared by the offline and live collectors.

::

    CAPTURES/
      manifest.json                 # written by the live collector (run metadata)
      <device name>/                # one folder per device, named as in the inventory
        show_version.txt            # one file per command: core.platforms.command_filename
        show_running-config.txt
        ...

A writer writes UTF-8 text to ``<file>.tmp`` and renames it, so a file without
``.tmp`` is complete; a leftover ``.tmp`` marks an interrupted write and is reported,
never parsed.

Reading saved outputs handed in by others (:func:`read_capture`) trusts nothing about
them: only regular files inside the capture folder are read (a FIFO, a device, a
symbolic link leading outside are refused), at most :data:`MAX_CAPTURE_BYTES` each; the
bytes are decoded as UTF-8, else GB18030 or Big5 (Chinese devices), and terminal
artefacts (ANSI escape sequences, pager prompts with the backspaces that erase them,
carriage returns) are removed as a terminal would have shown the text
(:func:`clean_output`).
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from core.platforms import command_filename

TMP_SUFFIX = ".tmp"

#: The most read from one capture file. The largest real outputs (a core router's
#: configuration, ``show interfaces`` of a chassis with a thousand ports) are a few MiB;
#: anything past this is no command output (or is ``/dev/zero``) and is refused unread.
MAX_CAPTURE_BYTES = 64 * 1024 * 1024


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


class CaptureFolderError(ValueError):
    """The capture folder as a whole is unusable (missing, or not a folder)."""

    def __init__(self, path: Path, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"--captures {path}: {reason}")


def check_captures_folder(captures: Path | str) -> Path:
    """``captures`` as a Path if it is a folder; else :class:`CaptureFolderError` saying why.

    >>> check_captures_folder("/nonexistent/captures")
    Traceback (most recent call last):
    ...
    collectors.capture.CaptureFolderError: --captures /nonexistent/captures: no such folder
    """
    path = Path(captures)
    if not path.exists():
        raise CaptureFolderError(path, "no such folder")
    if not path.is_dir():
        raise CaptureFolderError(path, "not a folder (give the folder that holds one sub-folder of saved "
                                       "outputs per device, or a configuration backup folder)")
    return path


@dataclass(frozen=True, slots=True)
class CaptureFile:
    """What reading one capture file gave: its text, or why it was refused.

    ``text`` is None when the file was refused (``refused`` says why, naming the
    file) or is gone (both None). ``encoding`` is the codec that decoded it.
    """

    text: str | None
    encoding: str | None = None
    refused: str | None = None


#: The file types a capture must not be, as a person would name them.
_NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
#: Whether files can be opened relative to a folder, following no link (POSIX ``openat``).
_OPENAT = hasattr(os, "O_NOFOLLOW") and os.open in os.supports_dir_fd


def read_capture(root: Path | str, path: Path | str, limit: int = MAX_CAPTURE_BYTES, *,
                 folder_fd: int | None = None) -> CaptureFile:
    """Read one saved output under the capture folder ``root``, trusting nothing about it.

    Refused (``CaptureFile.refused`` names the file and the reason): a path whose real
    location (symbolic links followed) is outside ``root``; anything but a regular file
    (checked with ``fstat`` on the opened file, which is opened non-blocking so a FIFO
    cannot hang the audit); a file larger than ``limit`` bytes; a file that cannot be read.
    A file that vanished reads as ``CaptureFile(None)``.

    ``folder_fd``, from :func:`open_capture_folder` for the folder holding ``path``, makes
    the common case (a file, not a link) one ``openat``: no path is resolved again.
    """
    path = os.fspath(path)
    if folder_fd is not None and _OPENAT:
        try:
            fd = os.open(os.path.basename(path), _OPEN_FLAGS | _NOFOLLOW, dir_fd=folder_fd)
        except FileNotFoundError:
            return CaptureFile(None)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.EMLINK):  # a symbolic link: resolved below
                return CaptureFile(None, refused=f"{path}: unreadable: {exc.strerror or exc}")
        else:
            return _read_opened(fd, path, limit)
    root_real = os.path.realpath(root)
    real = os.path.realpath(path)
    if os.path.commonpath([root_real, real]) != root_real:
        return CaptureFile(None, refused=f"{path}: refused: it leads outside the capture folder (to {real})")
    try:
        fd = _open_inside(root_real, os.path.relpath(real, root_real))
    except FileNotFoundError:
        return CaptureFile(None)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # a link swapped in after realpath: never followed
            return CaptureFile(None, refused=f"{path}: refused: a symbolic link changed while reading")
        return CaptureFile(None, refused=f"{path}: unreadable: {exc.strerror or exc}")
    return _read_opened(fd, path, limit)


def open_capture_folder(root: Path | str, folder: Path | str) -> int | str:
    """A file descriptor of ``folder`` (to pass to :func:`read_capture` as ``folder_fd``, and
    close), or why it is refused: its real location is outside ``root``. ``OSError`` when
    it cannot be opened."""
    root_real, real = os.path.realpath(root), os.path.realpath(folder)
    if os.path.commonpath([root_real, real]) != root_real:
        return f"{folder}: refused: it leads outside the capture folder (to {real})"
    if not _OPENAT:
        return os.open(real, os.O_RDONLY)
    return _open_inside(root_real, os.path.relpath(real, root_real), directory=True)


def _read_opened(fd: int, path: str, limit: int) -> CaptureFile:
    """Check, read, decode and clean an opened capture file; closes ``fd``."""
    try:
        info = os.fstat(fd)
        for is_kind, what in _NOT_REGULAR:
            if is_kind(info.st_mode):
                return CaptureFile(None, refused=f"{path}: refused: {what}, not a regular file")
        if info.st_size > limit:
            return CaptureFile(None, refused=f"{path}: refused: {info.st_size} bytes, more than the "
                                             f"{_mib(limit)} a command output can hold")
        data = _read_at_most(fd, limit + 1)
        if len(data) > limit:  # it grew while being read
            return CaptureFile(None, refused=f"{path}: refused: more than the {_mib(limit)} a command "
                                             "output can hold")
    except OSError as exc:
        return CaptureFile(None, refused=f"{path}: unreadable: {exc.strerror or exc}")
    finally:
        os.close(fd)
    text, encoding = decode_output(data)
    return CaptureFile(clean_output(text), encoding)


def _open_inside(root_real: str, relative: str, directory: bool = False) -> int:
    """Open ``root_real/relative`` one component at a time, following no symbolic link,
    so nothing swapped in after the containment check can lead outside."""
    if not _OPENAT:
        return os.open(os.path.join(root_real, relative), _OPEN_FLAGS)  # no openat here: best effort
    parts = [p for p in relative.split(os.sep) if p not in ("", ".")]
    fd = os.open(root_real, _DIRECTORY_FLAGS)
    try:
        for part in parts[:-1] if not directory else parts:
            inner = os.open(part, _DIRECTORY_FLAGS | _NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        if directory or not parts:
            return os.dup(fd)
        return os.open(parts[-1], _OPEN_FLAGS | _NOFOLLOW, dir_fd=fd)
    finally:
        os.close(fd)


def _read_at_most(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB" if size >= 1024 * 1024 else f"{size} bytes"


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_output(data: bytes) -> tuple[str, str]:
    """Text and the codec that gave it: a byte-order mark's, else UTF-8, else GB18030 (GBK
    and GB2312 are subsets: Huawei and H3C devices set to Chinese), else Big5; else UTF-8
    with each undecodable byte replaced (``"utf-8 (replaced)"``).

    Big5 bytes are mostly valid GB18030 too (and the reverse): of the two readings, the
    one with fewer characters no Chinese device prints (kana, Cyrillic, box drawing,
    private use) wins, GB18030 on a tie.

    >>> decode_output("核心交换机".encode("gbk"))
    ('核心交换机', 'gb18030')
    >>> decode_output("核心交換機".encode("big5"))
    ('核心交換機', 'big5')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.replace("-sig", "")
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    try:
        big5 = data.decode("big5")
    except UnicodeDecodeError:
        big5 = None
    if text is not None and (big5 is None or _misread(text) <= _misread(big5)):
        return text, "gb18030"
    if big5 is not None:
        return big5, "big5"
    return data.decode("utf-8", errors="replace"), "utf-8 (replaced)"


#: Characters Chinese device output does not hold, but traditional text read as GBK (or
#: simplified text read as Big5) is full of: kana, Cyrillic, box drawing, private use.
_MISREAD = re.compile("[\u0400-\u04ff\u2500-\u259f\u3040-\u30ff\ue000-\uf8ff\uff66-\uff9f]")


def _misread(text: str) -> int:
    return len(_MISREAD.findall(text))


#: Pager prompts left in a capture: Cisco/EOS ``--More--``, VRP and Comware
#: ``---- More ----``, Junos ``---(more)---`` and ``---(more 45%)---``.
_PAGER = re.compile(r"\s*-{2,4}\s*\(?\s*more(?:\s+\d+%)?\s*\)?\s*-{2,4}\s*", re.IGNORECASE)
#: Escape sequences (CSI with parameters, OSC up to BEL/ST, two-character ones).
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[()][A-Za-z0-9]|[@-Z\\-_=>])")
_TERMINAL_CHARS = ("\x1b", "\x08", "\r")
_PAGER_HINT = re.compile(r"--\s*\(?\s*[Mm][Oo][Rr][Ee]")


def clean_output(text: str) -> str:
    r"""The text as a terminal showed it: escape sequences and pager prompts removed,
    backspaces and carriage returns applied (the pager's prompt, erased by backspaces or
    a cursor move and blanks, disappears; what overwrote it stays). Lines end with ``\n``.

    >>> clean_output("interface Gi0/1\r\n --More-- " + "\b" * 10 + " " * 10 + "\b" * 10
    ...              + " description uplink\r\n")
    'interface Gi0/1\n description uplink\n'
    >>> clean_output("  ---- More ----\x1b[16D                \x1b[16Dsysname core\n")
    'sysname core\n'
    >>> clean_output("---(more 45%)---\r                \rset system host-name r1\n")
    'set system host-name r1\n'
    """
    if not any(c in text for c in _TERMINAL_CHARS) and not _PAGER_HINT.search(text):
        return text
    lines = [_as_shown(line) for line in text.split("\n")]
    return "\n".join(_PAGER.sub(_pager_gap, line) for line in lines)


def _pager_gap(match: re.Match[str]) -> str:
    """A pager prompt left in the text (not erased) goes; the line's indentation stays."""
    return "" if match.start() == 0 else " " if match.end() < len(match.string) else ""


def _as_shown(line: str) -> str:
    r"""One line as a terminal shows it: write at the cursor, ``\b`` and ``ESC[nD`` move
    it left, ``\r`` to the start, ``ESC[K`` erases to the end, other sequences ignored.
    Blanks an eraser left past the end of the text are dropped."""
    line = line.rstrip("\r")
    if not any(c in line for c in _TERMINAL_CHARS):
        return line
    cells: list[str] = []
    cursor = 0
    pos = 0
    while pos < len(line):
        char = line[pos]
        if char == "\x1b":
            match = _ESCAPE.match(line, pos)
            if match is None:
                pos += 1
                continue
            seq = match.group()
            if seq.startswith("\x1b[") and seq[-1] in "DCGK":
                count = int(re.sub(r"\D", "", seq[2:-1]) or 1) if seq[-1] != "K" else 0
                if seq[-1] == "D":
                    cursor = max(0, cursor - count)
                elif seq[-1] == "C":
                    cursor += count
                elif seq[-1] == "G":
                    cursor = max(0, count - 1)
                else:
                    del cells[cursor:]
            pos = match.end()
            continue
        if char == "\x08":
            cursor = max(0, cursor - 1)
        elif char == "\r":
            cursor = 0
        else:
            if cursor >= len(cells):
                cells.extend(" " * (cursor - len(cells)))
                cells.append(char)
            else:
                cells[cursor] = char
            cursor += 1
        pos += 1
    shown = "".join(cells)
    return shown.rstrip() if shown.strip() != line.strip() else shown
