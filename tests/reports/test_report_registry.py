"""The non-HTML renderers are registered by name and share an output folder without clashes."""

from __future__ import annotations

from pathlib import Path

from analysis.context import AuditResult
from reports.registry import FORMATS, RenderOptions, load_builtin_renderers, render

FILE_FORMATS = ("json", "markdown", "csv", "graphml", "graph-json")


def test_formats_are_registered() -> None:
    load_builtin_renderers()
    assert set(FILE_FORMATS) | {"terminal"} <= set(FORMATS.available)


def test_all_formats_in_both_languages_write_distinct_files(small_result: AuditResult, tmp_path: Path) -> None:
    written: list[Path] = []
    for lang in ("en", "zh"):
        for name in FILE_FORMATS:
            written += render(name, small_result, tmp_path, RenderOptions(lang=lang))
    names = sorted({p.name for p in written})
    # JSON and graphs are language-neutral (rewritten identically); Markdown and CSV per language
    assert len(names) == 1 + 1 * 2 + 3 * 2 + 2 + 2
    assert all(p.parent == tmp_path and p.stat().st_size > 0 for p in written)
