"""A cache of parsed facts, keyed by the content of the raw outputs.

A nightly re-audit of unchanged captures re-parses nothing: each device's facts are
stored under the SHA-256 of its raw outputs plus a digest of the parsing code and
templates (:func:`parser_digest`), so a new parser version never reads stale facts, while
a change to code that cannot change facts (the live transports, credentials, the CLI)
keeps the cache.

For saved captures it does not even re-read them: the ``seen`` table remembers the key
of each device's outputs under the fingerprint of its capture folder (names, inodes,
sizes and file times; :meth:`collectors.offline.OfflineCollector.fingerprint`). While the
fingerprint holds, the key does, and the facts come straight from the cache.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from pydantic import TypeAdapter

import collectors
from collectors.base import RawOutputs
from collectors.facts import DeviceFacts
from collectors.parsers.templates import OWN_TEMPLATE_DIR

_FACTS = TypeAdapter(DeviceFacts)

#: The modules that turn outputs into facts: the parser, and the reader of saved captures
#: (the ``seen`` shortcut below skips reading, so a reader change must invalidate it too).
PARSING_ENTRY_POINTS = ("collectors.parse", "collectors.offline")
#: The packages whose modules count when an entry point imports them, directly or not:
#: collectors and the bottom layer (the platform table). Inventory and third-party code
#: do not; the libraries that read outputs count by version (:data:`PARSING_LIBRARIES`).
PARSING_PACKAGES = ("collectors", "core")
#: Distributions whose version changes what a parse gives.
PARSING_LIBRARIES = ("ntc-templates", "textfsm")


def parsing_sources(root: Path, entry_points: Iterable[str] = PARSING_ENTRY_POINTS,
                    packages: Iterable[str] = PARSING_PACKAGES) -> list[Path]:
    """The source files the facts of a device depend on, relative to ``root`` (which holds the packages).

    The entry points and every module of ``packages`` they import, directly or not, read from
    the sources (``import`` statements anywhere in a module, functions included), with the
    ``__init__`` of each package on the way; a module that imports modules by name
    (``importlib.import_module``: the per-platform readers) brings in every module of its
    package. Then the project's own TextFSM templates. Modules nothing there imports (the
    live transports, credentials, host keys) are not in it.
    """
    wanted = tuple(packages)
    found: dict[str, Path] = {}
    todo = list(entry_points)
    while todo:
        name = todo.pop()
        if name in found or name.split(".")[0] not in wanted:
            continue
        path = _module_file(root, name)
        if path is None:
            continue  # a name imported from a module, not a module
        found[name] = path
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # importing a.b runs a/__init__
        package = name if path.name == "__init__.py" else ".".join(parts[:-1])
        imported, by_name = _imports(path.read_bytes(), package)
        todo += imported
        if by_name:
            todo += _package_modules(root, package)
    templates = OWN_TEMPLATE_DIR.relative_to(Path(collectors.__file__).resolve().parent.parent)
    own = sorted(p.relative_to(root) for p in (root / templates).glob("*.textfsm"))
    return sorted({p.relative_to(root) for p in found.values()}) + own


def _module_file(root: Path, name: str) -> Path | None:
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_modules(root: Path, package: str) -> list[str]:
    """Every module of a package, its subpackages' included."""
    folder = root.joinpath(*package.split("."))
    names = []
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(folder).with_suffix("").parts
        if "__pycache__" not in parts:
            names.append(".".join([package, *(parts[:-1] if parts[-1] == "__init__" else parts)]))
    return names


#: Calls that import a module by a name computed at run time.
_IMPORT_BY_NAME = {"import_module", "__import__"}


def _imports(source: bytes, package: str) -> tuple[list[str], bool]:
    """Every module name a source imports (for ``from m import x`` also ``m.x``: x may be a
    module), and whether it also imports modules by name."""
    names: list[str] = []
    by_name = False
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            by_name = by_name or called in _IMPORT_BY_NAME
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, one level up per extra dot
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names += [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return names, by_name


def sources_digest(root: Path, files: Iterable[Path], versions: Iterable[str] = ()) -> str:
    """Digest of files (relative to ``root``: their names and contents) and library versions."""
    h = hashlib.sha256()
    for path in files:
        h.update(path.as_posix().encode() + b"\0" + (root / path).read_bytes() + b"\0")
    for version in versions:
        h.update(version.encode() + b"\0")
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def parser_digest() -> str:
    """Digest of exactly the code that parses (:func:`parsing_sources`) and the parsing libraries' versions.

    A change to any of it invalidates the cache; a change elsewhere (the live transports,
    credentials, the CLI, the test emulator) does not.
    """
    root = Path(collectors.__file__).resolve().parent.parent
    versions = [f"{name}=={_version(name)}" for name in PARSING_LIBRARIES]
    return sources_digest(root, parsing_sources(root), versions)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:  # pragma: no cover - hard dependencies
        return ""


def raw_key(raw: RawOutputs) -> str:
    """The cache key of one device's raw outputs."""
    h = hashlib.sha256(parser_digest().encode())
    for part in (raw.device, raw.platform, raw.status, raw.error or ""):
        h.update(b"\0" + part.encode())
    for command, text in sorted(raw.outputs.items()):
        h.update(b"\1" + command.encode() + b"\2" + text.encode("utf-8", "replace"))
    for p in raw.problems:
        h.update(b"\3" + str(p).encode())
    return h.hexdigest()


class FactsCache:
    """Parsed facts in one SQLite file, ``<dir>/facts.sqlite``, as JSON text per key.

    One file, not one per device: a first audit of 10,000 devices would otherwise create
    20,000 files, which on a busy disk cost more than parsing. JSON rather than pickle: a
    cache must never be a way to run code. Each process opens its own connection (a
    forked parser never touches its parent's) and writes what it parsed in one
    transaction per :meth:`flush`. Entries unused for :data:`KEEP_DAYS` are dropped. A
    cache that cannot be opened, read or written only costs time: it is rebuilt when
    damaged, and skipped when it cannot be.
    """

    #: Entries neither read nor written for this many days are pruned.
    KEEP_DAYS = 30
    #: A hit records its day only when the recorded one is older than this.
    TOUCH_DAYS = 7
    FILE = "facts.sqlite"

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.hits = self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._facts: dict[str, str] = {}  # key -> JSON, parsed here since the last flush
        self._seen: dict[str, tuple[str, str, str]] = {}  # device -> (fingerprint, parser, key)
        self._used: set[str] = set()
        parser_digest()  # read the sources here, once: forked parsers inherit the digest

    def get(self, raw: RawOutputs) -> DeviceFacts | None:
        """The cached facts of these raw outputs, or None."""
        return self._read(raw_key(raw))

    def put(self, raw: RawOutputs, facts: DeviceFacts) -> None:
        """Cache the facts parsed from ``raw`` (written at the next :meth:`flush`)."""
        self._facts[raw_key(raw)] = _FACTS.dump_json(facts).decode()  # what _decode reads back

    def recall(self, device: str, fingerprint: str) -> DeviceFacts | None:
        """The cached facts of ``device`` if its captures still have this fingerprint."""
        row = self._query("SELECT seen.fingerprint, seen.parser, seen.key, facts.json, facts.used FROM seen"
                          " LEFT JOIN facts ON facts.key = seen.key WHERE seen.device = ?", device)
        # The key names the parser version too: a new parser must not read old facts.
        if row is None or row[0] != fingerprint or row[1] != parser_digest():
            return None
        return self._decode(row[2], row[3], row[4])

    def remember(self, device: str, fingerprint: str, raw: RawOutputs) -> None:
        """Note that captures with this fingerprint hold ``raw`` (whose facts are cached)."""
        self._seen[device] = (fingerprint, parser_digest(), raw_key(raw))

    def flush(self) -> None:
        """Write what this process parsed and used since the last flush, in one transaction."""
        if not (self._facts or self._seen or self._used):
            return
        db = self._connection()
        today = _today()
        try:
            if db is not None:
                # Explicitly: the connection is in autocommit mode, where ``with db`` would
                # commit each row on its own.
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.executemany("INSERT OR REPLACE INTO facts (key, json, used) VALUES (?, ?, ?)",
                                   [(k, v, today) for k, v in self._facts.items()])
                    db.executemany("INSERT OR REPLACE INTO seen (device, fingerprint, parser, key)"
                                   " VALUES (?, ?, ?, ?)", [(d, *v) for d, v in self._seen.items()])
                    db.executemany("UPDATE facts SET used = ? WHERE key = ?", [(today, k) for k in self._used])
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
        except sqlite3.Error:
            pass  # a cache that cannot be written only costs time
        self._facts.clear()
        self._seen.clear()
        self._used.clear()

    def prune(self) -> int:
        """Drop entries unused for :data:`KEEP_DAYS` days; the number dropped."""
        db = self._connection()
        if db is None:
            return 0
        try:  # one statement: its own transaction
            return db.execute("DELETE FROM facts WHERE used < ?", (_today() - self.KEEP_DAYS,)).rowcount
        except sqlite3.Error:
            return 0

    def close(self) -> None:
        """Flush, then close this process's connection."""
        self.flush()
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = self._pid = None  # the next use opens it again

    def _read(self, key: str) -> DeviceFacts | None:
        if key in self._facts:
            return self._decode(key, self._facts[key], _today())
        row = self._query("SELECT json, used FROM facts WHERE key = ?", key)
        return self._decode(key, *(row or (None, None)))

    def _decode(self, key: str, text: str | None, used: int | None) -> DeviceFacts | None:
        try:
            # pydantic reads the JSON straight into the dataclasses: twice as fast as
            # json.loads then facts_from_dict, and it rejects a damaged entry the same way.
            facts = _FACTS.validate_json(text) if text is not None else None
        except ValueError:  # pydantic's ValidationError is one
            facts = None
        if facts is None:
            self.misses += 1
            return None
        self.hits += 1
        if used is None or used < _today() - self.TOUCH_DAYS:
            self._used.add(key)  # a week's slack: a nightly run does not rewrite every row
        return facts

    def _query(self, sql: str, value: str) -> tuple | None:
        db = self._connection()
        try:
            return db.execute(sql, (value,)).fetchone() if db is not None else None
        except sqlite3.Error:
            return None

    def _connection(self) -> sqlite3.Connection | None:
        # One connection per process: a forked worker never uses the one it inherited.
        if self._pid != os.getpid():
            self._db, self._pid = None, os.getpid()
            path = self.directory / self.FILE
            for attempt in (1, 2):
                try:
                    self._db = _open(path)
                    break
                except sqlite3.DatabaseError:  # not a database (any more): start again
                    if attempt == 2:
                        break
                    for damaged in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                        with contextlib.suppress(OSError):
                            damaged.unlink()
                except (sqlite3.Error, OSError):
                    break
        return self._db


_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, json TEXT NOT NULL, used INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS seen (device TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, parser TEXT NOT NULL,
                                 key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")  # parsers in several processes read while one writes
        db.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last transaction only costs time
        db.executescript(_SCHEMA)
        _forget_other_parsers(db)
    except sqlite3.Error:
        db.close()
        raise
    return db


def _forget_other_parsers(db: sqlite3.Connection) -> None:
    """Empty a cache written by another parser version (its keys name that version).

    None of its entries can be read by this one, and they may hold configurations that
    older redaction rules left secrets in: they are overwritten (``secure_delete``), not
    left for :meth:`FactsCache.prune` to find a month later.
    """
    db.execute("BEGIN IMMEDIATE")  # one process empties it; the others then see the new version
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'parser'").fetchone()
        if row is None or row[0] != parser_digest():
            db.execute("PRAGMA secure_delete = ON")
            db.execute("DELETE FROM facts")
            db.execute("DELETE FROM seen")
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('parser', ?)", (parser_digest(),))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _today() -> int:
    """Days since the epoch: the unit of ``facts.used``."""
    return int(time.time() // 86400)
