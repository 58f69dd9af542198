"""Which history store a ``--store`` value opens: a SQLite file (the default) or PostgreSQL.

A path opens :class:`~netcensus.store.SQLiteStore` under its ``flock``; ``postgresql://...``
(or ``postgresql`` alone: the DSN from the environment or a 0600 file, see
:func:`netcensus.store_postgresql.resolve_dsn`) opens
:class:`~netcensus.store_postgresql.PostgresStore` under its advisory lock. Kept apart from
both modules so that neither imports the other.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from netcensus.store import SQLiteStore, StoreError, StoreLock
from netcensus.store_postgresql import PostgresStore, describe_dsn, is_postgresql, resolve_dsn

AnyStore = SQLiteStore | PostgresStore

__all__ = ["AnyStore", "is_postgresql", "locked_store", "open_store", "store_label"]


def store_label(spec: Path | str) -> str:
    """How a store is named in messages and reports: a path, or a DSN without its password."""
    if not is_postgresql(spec):
        return str(spec)
    try:
        return describe_dsn(resolve_dsn(str(spec)))
    except StoreError:  # not given (yet): opening the store says why
        return "postgresql (DSN from the environment)"


def open_store(spec: Path | str, archives: Path | None = None) -> AnyStore:
    """Open a store to read it (``netcensus history``/``diff``); no run lock is taken."""
    if is_postgresql(spec):
        return PostgresStore(resolve_dsn(str(spec)), archives or Path("history.runs"))
    return SQLiteStore(Path(spec))


@contextlib.contextmanager
def locked_store(spec: Path | str, archives: Path, log: Callable[[str], None] = lambda _m: None
                 ) -> Iterator[AnyStore]:
    """Open a store for a run and hold its run lock until the block ends, then close it.

    ``archives`` is the capture archive folder of a PostgreSQL store (a SQLite store
    keeps its own beside its file).
    """
    if is_postgresql(spec):
        store = PostgresStore(resolve_dsn(str(spec)), archives)
        try:
            with store.lock():
                yield store
        finally:
            store.close()
        return
    with StoreLock(Path(f"{spec}.lock")) as lock:
        if lock.stale_pid:
            log(f"cleared a stale lock left by pid {lock.stale_pid} (a killed run)")
        sqlite = SQLiteStore(Path(spec))
        try:
            yield sqlite
        finally:
            sqlite.close()
