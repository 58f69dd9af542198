"""What a run archive may hold: capture files redacted for their device's platform, nothing else.

The history keeps a ``tar.gz`` of each run's capture folder (:mod:`netcensus.store`). A
saved capture is whatever the operator copied off the device, secrets included, so every
file goes through :func:`collectors.redact.redact_config` for the platform of the device
whose folder holds it (every family's rules when the device is not in the inventory, or
for files outside a device folder such as ``manifest.json``). A file that cannot be read
as text (NUL bytes outside UTF-16 with a byte-order mark, an encoding that is neither UTF-8
nor GB 18030, larger than :data:`MAX_FILE_BYTES`) or is not a regular file is left out, and
:data:`LISTING` inside the archive names it with the reason.

Each archive written this way carries :func:`archive_mark` in its gzip header (the
``FNAME`` field, readable from the first bytes without decompressing): the redaction
rules' digest. An archive without the current mark (written before archives were
redacted, or by older rules) is rewritten by :func:`migrate_archive`.
"""

from __future__ import annotations

import io
import json
import os
import re
import tarfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from collectors.capture import clean_output
from collectors.redact import REDACTED, RULES_DIGEST, redact_config

#: Name of the member listing what was left out (at the archive's root, beside ``captures/``).
LISTING = "REDACTION.json"
#: A capture file larger than this is left out: no device output is that large.
MAX_FILE_BYTES = 256 << 20
_ENCODINGS = ("utf-8", "gb18030")  # GBK (Chinese VRP/Comware) outputs are a subset of GB 18030
_UNKNOWN = "unknown"  # a platform name redact_config does not know: every family's rules


#: How archive members are redacted beyond the rules themselves (2: texts with terminal
#: artefacts redacted as shown, deep JSON left out). A change re-redacts older archives.
ARCHIVE_REDACTION_VERSION = 2


def archive_mark() -> str:
    """The gzip ``FNAME`` of an archive redacted by the current rules and archive redaction."""
    return f"netcensus-redacted-{RULES_DIGEST}-{ARCHIVE_REDACTION_VERSION}"


def read_archive_mark(path: Path) -> str | None:
    """The gzip ``FNAME`` of ``path`` (None for a file without one, or not gzip)."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if len(head) < 10 or head[:2] != b"\x1f\x8b":
        return None
    flags, pos = head[3], 10
    if flags & 0x04:  # FEXTRA comes first
        pos += 2 + int.from_bytes(head[pos:pos + 2], "little")
    if not flags & 0x08:
        return None
    end = head.find(b"\0", pos)
    return head[pos:end].decode("latin-1") if end >= 0 else None


def platform_of(arcname: str, platforms: Mapping[str, str] | None) -> str:
    """The platform whose rules redact archive member ``captures/<device>/<file>``, or the
    configuration backup ``captures/[<group>/[configs/]]<device>[.cfg|.conf|.txt]`` (Oxidized,
    RANCID); every family's rules (an unknown platform) for anything else."""
    parts = arcname.split("/")
    if not platforms or len(parts) < 2:
        return _UNKNOWN
    if len(parts) >= 3 and parts[1] in platforms:
        return platforms[parts[1]]
    name = parts[-1]
    for suffix in (".cfg", ".conf", ".txt"):
        name = name.removesuffix(suffix)
    return platforms.get(name, _UNKNOWN)


#: JSON members whose string value is a secret by its name (napalm ``get_users``, SNMP getters).
_SECRET_KEY = re.compile(r"(?i)password|secret|passphrase|pre-?shared|\bpsk\b|community|auth.?key|priv.?key|^key$")


def _redact_json(value: object, platform: str) -> object:
    """Every string of a JSON document redacted, keys too (EOS's JSON config keys are lines)."""
    if isinstance(value, str):
        return redact_config(platform, value)
    if isinstance(value, list):
        return [_redact_json(v, platform) for v in value]
    if isinstance(value, dict):
        return {redact_config(platform, k): REDACTED if isinstance(v, str) and v and _SECRET_KEY.search(k)
                else _redact_json(v, platform) for k, v in value.items()}
    return value


def as_shown(text: str) -> str:
    r"""``text`` as a terminal shows it when it holds terminal artefacts (pager prompts erased
    by backspaces, escape sequences, bare carriage returns), else unchanged.

    The rules read lines as the parser reads them: ``--More--`` and eight backspaces before
    ``snmp-server community x`` hide the line's start from them in the raw bytes, yet
    ``cat`` shows the secret. Such a file is archived as shown (what the audit read).

    >>> as_shown("a\r\nb\r\n") == "a\r\nb\r\n"
    True
    >>> as_shown(" --More-- " + "\b" * 10 + "enable secret 0 x\n")
    'enable secret 0 x\n'
    """
    shown = clean_output(text)
    return text if shown == text.replace("\r\n", "\n") else shown


def _json_document(text: str) -> object | None:
    """The JSON document ``text`` holds; None when it is not JSON (a device's error message)."""
    try:
        return json.loads(text)
    except ValueError:
        return None


def redact_capture(arcname: str, data: bytes, platform: str) -> tuple[bytes | None, str | None]:
    """``(redacted bytes, None)`` or ``(None, why it cannot be redacted)``.

    Unchanged text keeps its bytes; changed text keeps its encoding and line structure.
    A ``.json`` file that parses is redacted string by string (one line may hold a whole
    configuration with ``\\n`` escapes; members named like secrets are replaced whole),
    otherwise as text.
    """
    if len(data) > MAX_FILE_BYTES:
        return None, f"larger than {MAX_FILE_BYTES >> 20} MiB"
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")  # saved by a Windows tool: the BOM says so
    if b"\0" in data and not utf16:
        return None, "binary content (NUL bytes)"
    for encoding in ("utf-16",) if utf16 else _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\0" not in text:
            break
    else:
        return None, "binary content (NUL bytes)" if utf16 else "neither UTF-8 nor GB 18030 text"
    try:
        document = _json_document(text) if arcname.endswith(".json") else None
        if document is None:
            redacted = redact_config(platform, as_shown(text))
        else:  # every string redacted as a text of its own; the text rules would cut through escapes
            cleaned = _redact_json(document, platform)
            redacted = text if cleaned == document else json.dumps(cleaned, ensure_ascii=False, indent=1) + "\n"
    except RecursionError:  # brackets nested thousands deep: no redaction to trust, and no run to abort
        return None, "JSON nested too deeply to redact"
    if redacted == text:
        return data, None
    return redacted.encode("utf-16" if utf16 else encoding), None


@dataclass
class Listing:
    """What the archive says about its own redaction (member :data:`LISTING`)."""

    omitted: list[dict[str, str]] = field(default_factory=list)

    def leave_out(self, arcname: str, reason: str) -> None:
        self.omitted.append({"path": arcname, "reason": reason})

    def to_bytes(self) -> bytes:
        body = {"redacted": True, "rules": RULES_DIGEST,
                "about": "capture files redacted for their device's platform; files that could not be "
                         "redacted are listed here and not archived",
                "omitted": self.omitted}
        return (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode()


def add_listing(tar: tarfile.TarFile, listing: Listing, mtime: int) -> None:
    data = listing.to_bytes()
    entry = tarfile.TarInfo(LISTING)
    entry.size, entry.mtime, entry.mode = len(data), mtime, 0o644
    tar.addfile(entry, io.BytesIO(data))


def open_marked(target: Path) -> tuple[object, ...]:
    """``(raw, gzip, buffered, tar)`` writers of a redacted archive at ``target`` (close in reverse)."""
    import gzip

    raw = open(target, "wb")  # noqa: SIM115 - returned open: the caller closes it after the tar
    gz = gzip.GzipFile(filename=archive_mark(), mode="wb", compresslevel=6, fileobj=raw)
    buffered = io.BufferedWriter(gz, buffer_size=1 << 20)  # type: ignore[arg-type]
    return raw, gz, buffered, tarfile.open(fileobj=buffered, mode="w")


def migrate_archive(source: Path, target: Path, platforms: Mapping[str, str] | None) -> Listing:
    """Write a redacted copy of archive ``source`` to ``target``; return its listing.

    Members after a point where ``source`` cannot be read (a truncated or corrupt
    archive) are lost, and the listing says so: what could not be redacted is not kept.
    """
    listing = Listing()
    raw, gz, buffered, tar = open_marked(target)
    mtime = 0
    try:
        try:
            with tarfile.open(source, mode="r:gz") as old:
                for member in old:
                    mtime = max(mtime, int(member.mtime))
                    if member.name == LISTING:
                        _carry_listing(old, member, listing)
                        continue
                    if member.isfile():
                        handle = old.extractfile(member)
                        data = handle.read() if handle is not None else b""
                        redacted, why = redact_capture(member.name, data, platform_of(member.name, platforms))
                        if redacted is None:
                            listing.leave_out(member.name, why or "cannot be redacted")
                            continue
                        entry = _copy_info(member)
                        entry.size = len(redacted)
                        tar.addfile(entry, io.BytesIO(redacted))
                    elif member.isdir() or member.issym():
                        tar.addfile(_copy_info(member))
                    else:
                        listing.leave_out(member.name, "not a regular file")
        except (tarfile.TarError, EOFError, zlib.error, OSError) as e:
            if isinstance(e, OSError) and e.errno is not None:
                raise  # a real I/O error (a full disk): fail; the original stays as it was
            listing.leave_out(source.name, f"unreadable from here on ({type(e).__name__}: {e}); "
                                           "the rest of the original archive was not kept")
        add_listing(tar, listing, mtime)
    finally:
        for closing in (tar, buffered, gz, raw):
            closing.close()  # type: ignore[attr-defined]
    return listing


def _copy_info(member: tarfile.TarInfo) -> tarfile.TarInfo:
    entry = tarfile.TarInfo(member.name)
    entry.mode, entry.mtime, entry.uid, entry.gid = member.mode, member.mtime, member.uid, member.gid
    entry.type, entry.linkname = member.type, member.linkname
    return entry


def _carry_listing(old: tarfile.TarFile, member: tarfile.TarInfo, listing: Listing) -> None:
    """Keep what an earlier redaction had left out (re-redaction by newer rules)."""
    handle = old.extractfile(member)
    try:
        previous = json.loads(handle.read()) if handle is not None else {}
    except ValueError:
        return
    for item in previous.get("omitted", []):
        if isinstance(item, dict) and {"path", "reason"} <= item.keys():
            listing.leave_out(str(item["path"]), str(item["reason"]))


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
