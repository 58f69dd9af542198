"""Renderers registered by format name.

A renderer is ``render(result, out_dir, options) -> list[Path]``: it writes its
files into ``out_dir`` and returns their paths. The terminal renderer prints to
``options.console`` and returns no path. A renderer registered with
``reads_history=False`` never reads what the history store adds to the result (the run,
the diff): the nightly job starts it before the run is recorded.

The formats are a :class:`core.registry.Register`: the bundled renderers are the modules of
``reports`` (imported by name on the first lookup), and an installed package adds a format
through the entry-point group ``netcensus.renderers`` (the entry point's name is the format).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.registry import Register

if TYPE_CHECKING:
    from rich.console import Console

    from analysis.context import AuditResult


@dataclass(frozen=True)
class RenderOptions:
    """What a renderer may be told: language and where to print."""

    lang: str = "en"  # "en" or "zh"
    console: Console | None = field(default=None, compare=False)
    top: int = 15  # findings shown in summaries


Renderer = Callable[["AuditResult", Path, RenderOptions], list[Path]]
FORMATS: Register[Renderer] = Register("report format", "netcensus.renderers", "reports")
#: Formats whose renderer never reads ``result.run`` or ``result.diff`` (what the history store adds).
HISTORY_FREE: set[str] = set()


def renderer(name: str, *, reads_history: bool = True) -> Callable[[Renderer], Renderer]:
    """Register a renderer under a format name; a different one under a taken name raises.

    A renderer of an installed package that is not decorated is taken to read the history.
    """

    def register(func: Renderer) -> Renderer:
        FORMATS.register(name, func)
        if not reads_history:
            HISTORY_FREE.add(name)
        return func

    return register


def load_builtin_renderers() -> None:
    """Register every renderer: the bundled ones, then those of installed packages (entry points).

    Raises :class:`core.registry.PluginLoadError` naming an entry point that fails to import
    or whose format is taken.
    """
    FORMATS.load()


def render(name: str, result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Render one format; an unknown name raises :class:`core.registry.UnknownPluginError`
    (a ``LookupError``) listing the known ones."""
    return FORMATS.get(name)(result, out_dir, options)
