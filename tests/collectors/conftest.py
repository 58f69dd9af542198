"""Shared pieces of the capture-reading tests (hostile captures, backup folders)."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest


@pytest.fixture()
def no_hang() -> Iterator[None]:
    """Fail, not hang, if a FIFO is opened blocking in this process (the code before the fix did)."""
    def give_up(*_: object) -> None:
        raise TimeoutError("the collector blocked opening a FIFO")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)

