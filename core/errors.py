"""The project's exceptions, in one place.

Every error a user can cause carries enough context (file, line, field, device,
command) to be fixed without a traceback. The CLI turns them into exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass


class NetcensusError(Exception):
    """Base class of every error netcensus raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can.

    >>> str(Problem("inv/devices.yaml", 12, "devices[3].platform", "unknown platform 'ios'"))
    "inv/devices.yaml:12: devices[3].platform: unknown platform 'ios'"
    """

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class InputError(NetcensusError):
    """Bad input: one or more problems, all reported at once."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], unlisted: int = 0):
        self.problems = tuple(problems)
        self.unlisted = unlisted  # more problems, counted but not listed (a huge broken input)
        tail = [f"... and {unlisted} more problems"] if unlisted else []
        super().__init__("\n".join([*(str(p) for p in self.problems), *tail]))


class InventoryError(InputError):
    """The inventory directory does not validate."""


class CaptureError(InputError):
    """The capture directory is unusable as a whole (missing, not a directory)."""


class CheckSelectionError(NetcensusError):
    """An unknown check code or family was selected or ignored."""


class OutputError(NetcensusError):
    """An audit could not write its reports, store or cache (a full disk, a read-only folder)."""

    @classmethod
    def from_os_error(cls, error: OSError, folder: object) -> OutputError:
        """``cannot write <file, else folder>: <reason>``, for a message without a traceback."""
        return cls(f"cannot write {error.filename or folder}: {error.strerror or error}; the previous "
                   "reports stay in place and the history store is consistent")
