"""Share independent tasks between this process and forked copies of it.

For work whose input is large and already in memory (an audited city of 10,000 devices)
and whose output is small (the paths of the reports written): a forked child reads the
input where it lies, nothing is pickled on the way in, and sends back only its results.
Each process takes the next task nobody has taken yet (a shared counter), so one slow
task does not hold the others up and no cost estimate is needed.

Each child costs real memory: Python writes a reference count into every object it
touches, so a child that walks the whole city ends up with its own copy of most of its
pages. Checks and reports walk the whole city: they share between :data:`PROCESSES`
processes, not one per core. Parsing touches only each device's own objects and uses
one process per core.

>>> share_out(["a", "bb", "ccc"], len, processes=2)
[1, 2, 3]
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from core.errors import NetcensusError
from netcensus.store import die_with_parent

__all__ = ["PROCESSES", "Forked", "WorkerError", "forking", "in_background", "share_out"]

#: Processes an audit shares its checks and its reports between (this one and a fork).
PROCESSES = 2

T = TypeVar("T")
R = TypeVar("R")


class WorkerError(NetcensusError):
    """A task failed (or its process died) in a forked worker."""


class Forked(Generic[R]):
    """A forked child computing ``work()``; :meth:`result` waits for it, :meth:`kill` stops it."""

    def __init__(self, work: Callable[[], R]):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=self._child, args=(work, send, os.getpid()), daemon=True)
        self._process.start()
        send.close()

    @staticmethod
    def _child(work: Callable[[], R], send: Connection, parent: int) -> None:
        die_with_parent(parent)  # a killed audit must not leave its workers behind
        try:
            send.send(("ok", work()))
        except BaseException:
            send.send(("error", traceback.format_exc()))

    def result(self) -> R:
        """What ``work()`` returned; :class:`WorkerError` if it raised or the child died."""
        try:
            status, payload = self._receive.recv()
        except EOFError:
            self._process.join()
            raise WorkerError(f"a worker process died (exit code {self._process.exitcode})") from None
        finally:
            self._process.join()
            self._receive.close()
        if status != "ok":
            raise WorkerError(f"a task failed in a worker process:\n{payload}")
        return payload

    def kill(self) -> None:
        """Stop the child (nobody will read what it writes)."""
        if self._process.exitcode is None:
            self._process.kill()
        self._process.join()
        self._receive.close()


def forking() -> bool:
    """True where processes can be forked (Linux, macOS)."""
    return "fork" in multiprocessing.get_all_start_methods()


def in_background(tasks: Sequence[T], run: Callable[[T], R]) -> Forked[list[R]] | None:
    """Start ``[run(t) for t in tasks]`` in a forked child and return at once (None without fork).

    For work that needs nothing this process does next: the child sees the memory as it
    was at the fork.
    """
    if not forking():
        return None
    return Forked(lambda: [run(t) for t in tasks])


def share_out(tasks: Sequence[T], run: Callable[[T], R], processes: int) -> list[R]:
    """``[run(t) for t in tasks]``, computed by this process and ``processes - 1`` forked ones.

    Results come back in task order and must pickle. A task that raises in this process
    raises as it is; one that raises in a child raises :class:`WorkerError` with the
    child's traceback. Without ``fork`` (not Linux) or with one process, it runs here.
    """
    workers = min(processes, len(tasks)) - 1
    if workers <= 0 or not forking():
        return [run(t) for t in tasks]
    taken = multiprocessing.get_context("fork").Value("i", 0)

    def take() -> int:
        with taken.get_lock():
            index = taken.value
            taken.value += 1
        return index

    def work() -> dict[int, R]:
        done: dict[int, R] = {}
        while (index := take()) < len(tasks):
            done[index] = run(tasks[index])
        return done

    children: list[Forked[dict[int, R]]] = []
    try:
        for _ in range(workers):
            children.append(Forked(work))
        results = work()
        while children:
            results.update(children[0].result())
            children.pop(0)
    finally:
        for child in children:  # a failure: nobody will read what the others write
            child.kill()
    return [results[i] for i in range(len(tasks))]
