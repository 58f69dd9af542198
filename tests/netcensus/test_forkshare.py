"""Sharing tasks with forked processes: same results as a loop, failures named, nobody left behind."""

from __future__ import annotations

import os
import signal
import time

import pytest

from netcensus.forkshare import WorkerError, share_out


def test_results_come_back_in_task_order_from_both_processes() -> None:
    def run(n: int) -> tuple[int, int]:
        time.sleep(0.01 * (n % 3))  # uneven tasks: both processes take some
        return n * n, os.getpid()

    results = share_out(list(range(20)), run, processes=2)
    assert [square for square, _ in results] == [n * n for n in range(20)]
    assert len({pid for _, pid in results}) == 2
    assert os.getpid() in {pid for _, pid in results}


def test_a_child_reads_the_parents_memory_without_pickling_it() -> None:
    unpicklable = {"lock": __import__("threading").Lock(), "value": 41}  # a lock cannot be pickled
    assert share_out([1, 2, 3, 4], lambda n: unpicklable["value"] + n, processes=2) == [42, 43, 44, 45]


def test_one_process_runs_here() -> None:
    assert share_out(["a", "b"], lambda s: (s, os.getpid()), processes=1) == [("a", os.getpid()), ("b", os.getpid())]


def test_a_failure_in_a_child_names_its_traceback() -> None:
    parent = os.getpid()

    def run(n: int) -> int:
        time.sleep(0.05)
        if os.getpid() != parent:
            raise ValueError(f"task {n} broke in the child")
        return n

    with pytest.raises(WorkerError, match=r"ValueError: task \d+ broke in the child"):
        share_out([1, 2, 3, 4], run, processes=2)


def test_a_failure_here_stops_the_children_and_raises_as_it_is() -> None:
    parent = os.getpid()

    def run(n: int) -> int:
        if os.getpid() == parent:
            raise KeyError("here")
        time.sleep(30)  # a child still busy must not hold the caller for long
        return n

    start = time.monotonic()
    with pytest.raises(KeyError):
        share_out([1, 2, 3], run, processes=2)
    assert time.monotonic() - start < 10


def test_a_child_that_dies_is_reported() -> None:
    parent = os.getpid()

    def run(n: int) -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.1)
        return n

    with pytest.raises(WorkerError, match="died"):
        share_out([1, 2, 3, 4], run, processes=2)
