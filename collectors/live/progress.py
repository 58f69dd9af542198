"""Progress of a collection run: a rich bar on a terminal, timestamped lines otherwise.

Both report each device as it finishes (status, duration, reason) and end with a
summary table: devices per status, with a few names for each failure reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from collectors.manifest import DeviceRecord, Manifest

_GOOD = {"ok"}
_FAIR = {"partial", "parse_failed"}
_NAMES_SHOWN = 5


class Reporter(Protocol):
    """What the run tells the person (or the cron log) watching it."""

    def start(self, total: int, skipped: int, workers: int) -> None: ...
    def device_done(self, name: str, record: DeviceRecord) -> None: ...
    def note(self, message: str) -> None: ...
    def finish(self, manifest: Manifest) -> None: ...


def reporter_for(console: Console) -> Reporter:
    """A rich progress bar on a terminal, plain log lines otherwise (cron, CI, pipes)."""
    return RichReporter(console) if console.is_terminal else LogReporter(console)


def summary_rows(manifest: Manifest) -> list[tuple[str, int, str]]:
    """(status, count, example device names) per status, ok first, then by count."""
    names: dict[str, list[str]] = {}
    for name, record in sorted(manifest.devices.items()):
        names.setdefault(record.status, []).append(name)
    order = sorted(names, key=lambda s: (s not in _GOOD, -len(names[s]), s))
    rows = []
    for status in order:
        shown = names[status][:_NAMES_SHOWN]
        more = len(names[status]) - len(shown)
        examples = "" if status in _GOOD else ", ".join(shown) + (f" (+{more} more)" if more else "")
        rows.append((status, len(names[status]), examples))
    return rows


def _line(name: str, record: DeviceRecord) -> str:
    text = f"{name} {record.status} {record.duration_s:.1f}s"
    if record.attempts > 1:
        text += f" ({record.attempts} attempts)"
    if record.error:
        text += f": {record.error}"
    return text


class LogReporter:
    """Plain, timestamped, one line per event: for cron jobs and logs."""

    def __init__(self, console: Console):
        self.console = console

    def _log(self, message: str) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        # soft_wrap: a log line stays one line whatever the width
        self.console.print(f"{stamp} {message}", markup=False, highlight=False, soft_wrap=True)

    def start(self, total: int, skipped: int, workers: int) -> None:
        resumed = f", {skipped} already collected (resume)" if skipped else ""
        self._log(f"collect: {total} devices, {workers} workers{resumed}")

    def device_done(self, name: str, record: DeviceRecord) -> None:
        self._log(_line(name, record))

    def note(self, message: str) -> None:
        self._log(message)

    def finish(self, manifest: Manifest) -> None:
        parts = ", ".join(f"{status} {count}" for status, count, _ in summary_rows(manifest))
        self._log(f"collect finished{' (interrupted)' if manifest.interrupted else ''}: {parts}")
        for status, count, examples in summary_rows(manifest):
            if examples:
                self._log(f"  {status}: {count}: {examples}")


class RichReporter:
    """A live progress bar; each finished device is printed above it; a table at the end."""

    def __init__(self, console: Console):
        self.console = console
        self.progress = Progress(
            TextColumn("[bold]collect[/]"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
            TimeElapsedColumn(), console=console, transient=True,
        )
        self.task = None
        self.failed = 0

    def start(self, total: int, skipped: int, workers: int) -> None:
        if skipped:
            self.console.print(f"{skipped} devices already collected, skipped (--resume)")
        self.progress.start()
        self.task = self.progress.add_task("", total=total)

    def device_done(self, name: str, record: DeviceRecord) -> None:
        style = "green" if record.status in _GOOD else "yellow" if record.status in _FAIR else "red"
        if record.status not in _GOOD | _FAIR:
            self.failed += 1
        self.progress.console.print(f"[{style}]{escape(_line(name, record))}[/]", highlight=False)
        if self.task is not None:
            self.progress.update(self.task, advance=1,
                                 description=f"[red]{self.failed} failed[/]" if self.failed else "")

    def note(self, message: str) -> None:
        self.progress.console.print(f"[bold]{escape(message)}[/]")

    def finish(self, manifest: Manifest) -> None:
        self.progress.stop()
        title = "collection summary" + (" (interrupted)" if manifest.interrupted else "")
        table = Table(title=title)
        table.add_column("status")
        table.add_column("devices", justify="right")
        table.add_column("examples")
        for status, count, examples in summary_rows(manifest):
            style = "green" if status in _GOOD else "yellow" if status in _FAIR else "red"
            table.add_row(f"[{style}]{status}[/]", str(count), escape(examples))
        self.console.print(table)
