"""What every command of the CLI shares: the error console, the exit codes and how a bad
input is reported. Its own module so the command modules (``cli``, ``cli_exchange``) import
it and never each other."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable

import typer
from rich.console import Console

from core.errors import InputError

err = Console(stderr=True, highlight=False)

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def fail(problem: str | Exception) -> typer.Exit:
    """Print a bad-input error (every problem of an InputError) and return exit 2."""
    if isinstance(problem, InputError):
        for p in problem.problems:
            err.print(f"[red]error[/red] {p}", markup=True, soft_wrap=True, highlight=False)
        if problem.unlisted:
            err.print(f"... and {problem.unlisted} more problems (only the first {len(problem.problems)} "
                      "are listed)")
        err.print(f"{len(problem.problems) + problem.unlisted} problem(s) found.")
    else:
        err.print(f"[red]error[/red] {problem}", soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def logger() -> Callable[[str], None]:
    """Log lines to stderr, timestamped when not on a terminal (cron, systemd timers)."""
    stamped = not sys.stderr.isatty()

    def log(message: str) -> None:
        prefix = dt.datetime.now().astimezone().isoformat(timespec="seconds") + " " if stamped else ""
        err.print(f"{prefix}{message}", markup=False, highlight=False, soft_wrap=True)

    return log
