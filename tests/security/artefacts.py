"""Helpers of the secret corpus test: a small lab with secrets in its captures, and a scanner
that reads every artefact the way someone who found it on disk would.

The scanner opens what it can open: ``tar.gz`` archives member by member, other gzip
files decompressed, SQLite databases dumped with ``iterdump`` (and their raw pages, WAL
and journal files read as bytes too, so a deleted row still counts). Everything else is
read as bytes. A secret is looked for in UTF-8, in GBK and in JSON's ``\\uXXXX``-free
escaping, which for these ASCII tokens is all the same bytes.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from secret_corpus import Corpus

from core.platforms import PLATFORMS, command_filename

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "collectors" / "cases"
#: A complete parser case per platform (real-looking outputs of every command), served as the
#: device's captures, with the corpus appended to its configuration.
CASE_FOLDERS = {
    "cisco_ios": CASES / "cisco_ios" / "full",
    "cisco_nxos": CASES / "cisco_nxos" / "full",
    "arista_eos": CASES / "arista_eos" / "full",
    "huawei": CASES / "huawei" / "full",
    "hp_comware": CASES / "hp_comware" / "cw7_full",
    "juniper_junos": CASES / "juniper_junos" / "full",
}


def device_name(platform: str) -> str:
    return f"sec-{platform.replace('_', '-')}"


def config_command(platform: str) -> str:
    return next(c.command for c in PLATFORMS[platform].commands if c.kind == "config")


def write_captures(root: Path, corpora: dict[str, Corpus]) -> Path:
    """A capture folder: one device per platform, its configuration ending with the corpus."""
    for platform, corpus in corpora.items():
        folder = root / device_name(platform)
        folder.mkdir(parents=True)
        for path in CASE_FOLDERS[platform].glob("*.txt"):
            shutil.copy(path, folder / path.name)
        config = folder / command_filename(config_command(platform))
        text = config.read_text(encoding="utf-8")
        if platform == "juniper_junos":  # before the trailing context lines, if any
            config.write_text(text.rstrip("\n") + "\n" + corpus.text, encoding="utf-8")
        elif platform in ("huawei", "hp_comware"):  # inside the configuration, before ``return``
            head, sep, tail = text.rpartition("\nreturn")
            config.write_text((head + "\n" + corpus.text.rstrip("\n") + sep + tail) if sep
                              else text + corpus.text, encoding="utf-8")
        else:  # before ``end``
            head, sep, tail = text.rpartition("\nend")
            config.write_text((head + "\n" + corpus.text.rstrip("\n") + sep + tail) if sep
                              else text + corpus.text, encoding="utf-8")
    return root


def write_inventory(root: Path, ports: dict[str, int] | None = None) -> Path:
    """An inventory of the lab's six devices on 127.0.0.1 (``ports``: the emulator's)."""
    root.mkdir(parents=True)
    (root / "organisation.yaml").write_text(
        "departments:\n  - id: it\n    name: City IT office\n", encoding="utf-8")
    (root / "sites.yaml").write_text(
        "sites:\n  - id: hq\n    name: City hall\n    district: Central\n", encoding="utf-8")
    lines = ["devices:"]
    for platform in CASE_FOLDERS:
        name = device_name(platform)
        lines += [f"  - name: {name}", "    host: 127.0.0.1", f"    platform: {platform}",
                  "    department: it", "    site: hq", "    role: core"]
        if ports:
            lines.append(f"    port: {ports[name]}")
    (root / "devices.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def readable_texts(path: Path) -> Iterator[tuple[str, bytes]]:
    """``(where, bytes)`` for a file and whatever it contains that a reader could open."""
    data = path.read_bytes()
    yield str(path), data
    if path.name.endswith((".tar.gz", ".tgz")) or (data[:2] == b"\x1f\x8b" and tarfile.is_tarfile(path)):
        with tarfile.open(path) as tar:
            for member in tar:
                handle = tar.extractfile(member) if member.isfile() else None
                yield f"{path}!{member.name}", (handle.read() if handle else member.name.encode())
    elif data[:2] == b"\x1f\x8b":
        yield f"{path}!gunzip", gzip.decompress(data)
    if data[:16] == b"SQLite format 3\x00":
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            yield f"{path}!iterdump", "\n".join(db.iterdump()).encode("utf-8")
        finally:
            db.close()


def scan(roots: Iterable[Path], texts: Iterable[tuple[str, str]], secrets: Iterable[str]) -> dict[str, list[str]]:
    """Secret -> where it was found, over every file under ``roots`` and the given texts."""
    needles = {s: (s.encode("utf-8"),) for s in secrets}
    found: dict[str, list[str]] = {}

    def look(where: str, data: bytes) -> None:
        for secret, forms in needles.items():
            if any(form in data for form in forms):
                found.setdefault(secret, []).append(where)

    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            for where, data in readable_texts(path):
                look(where, data)
    for where, text in texts:
        look(where, text.encode("utf-8", "replace"))
    return found


def files_under(roots: Iterable[Path]) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file())
