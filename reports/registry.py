"""Renderers registered by format name.

A renderer is ``render(result, out_dir, options) -> list[Path]``: it writes its
files into ``out_dir`` and returns their paths. The terminal renderer prints to
``options.console`` and returns no path. A renderer registered with
``reads_history=False`` never reads what the history store adds to the result (the run,
the diff): the nightly job starts it before the run is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from analysis.context import AuditResult


@dataclass(frozen=True)
class RenderOptions:
    """What a renderer may be told: language and where to print."""

    lang: str = "en"  # "en" or "zh"
    console: "Console | None" = field(default=None, compare=False)
    top: int = 15  # findings shown in summaries


Renderer = Callable[["AuditResult", Path, RenderOptions], list[Path]]
RENDERERS: dict[str, Renderer] = {}
#: Formats whose renderer never reads ``result.extras["run"]`` or ``["diff"]``.
HISTORY_FREE: set[str] = set()


def renderer(name: str, *, reads_history: bool = True) -> Callable[[Renderer], Renderer]:
    """Register a renderer under a format name; a different one under a taken name raises."""

    def register(func: Renderer) -> Renderer:
        existing = RENDERERS.get(name)
        if existing is not None and existing.__qualname__ != func.__qualname__:
            raise ValueError(f"renderer {name!r} is already registered")
        RENDERERS[name] = func
        if not reads_history:
            HISTORY_FREE.add(name)
        return func

    return register


def load_builtin_renderers() -> None:
    """Import the bundled renderer modules so they register themselves."""
    import reports.builtin  # noqa: F401


def render(name: str, result: "AuditResult", out_dir: Path, options: RenderOptions) -> list[Path]:
    """Render one format; unknown names raise ValueError listing the known ones."""
    load_builtin_renderers()
    if name not in RENDERERS:
        raise ValueError(f"unknown report format {name!r} (known: {', '.join(sorted(RENDERERS))})")
    return RENDERERS[name](result, out_dir, options)
