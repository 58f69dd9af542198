"""Print the import graph between the project's packages: who imports whom, how many times.

    .venv/bin/python tests/architecture/import_graph.py             # package level
    .venv/bin/python tests/architecture/import_graph.py --upward    # only imports against the layers
    .venv/bin/python tests/architecture/import_graph.py DIR         # another checkout (an older commit)

Built with grimp (import-linter's graph), so it sees what `lint-imports` sees.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import grimp

#: Top to bottom, as in pyproject.toml [tool.importlinter] and docs/architecture.md.
LAYERS = ("netcensus", "exchange", "reports", "analysis", "collectors", "inventory", "core")
_RANK = {"netcensus": 4, "exchange": 3, "reports": 3, "analysis": 2, "collectors": 1, "inventory": 0.5, "core": 0}


def package_edges(graph: grimp.ImportGraph) -> Counter[tuple[str, str]]:
    """(importer package, imported package) -> number of module imports."""
    edges: Counter[tuple[str, str]] = Counter()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = module.split(".")[0], imported.split(".")[0]
            if a != b:
                edges[(a, b)] += 1
    return edges


def upward_imports(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Module imports that run against the layers (a lower package importing a higher one)."""
    found = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            a, b = module.split(".")[0], imported.split(".")[0]
            if a != b and (_RANK[b] > _RANK[a] or (_RANK[b] == _RANK[a] and a != b)):
                found.append((module, imported))
    return found


def main(argv: list[str]) -> int:
    # The packages of one checkout only (this one, or DIR): an older commit has fewer.
    paths = [a for a in argv if not a.startswith("--")]
    root = Path(paths[0]).resolve() if paths else Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    graph = grimp.build_graph(*(name for name in LAYERS if (root / name / "__init__.py").exists()))
    if "--upward" in argv:
        rows = upward_imports(graph)
        for module, imported in rows:
            print(f"{module} -> {imported}")
        print(f"{len(rows)} upward import(s)")
        return 1 if rows else 0

    def order(edge: tuple[tuple[str, str], int]) -> tuple[int, int, str]:
        (a, b), _ = edge
        return LAYERS.index(a), -_RANK[b], b

    for (a, b), n in sorted(package_edges(graph).items(), key=order):
        print(f"{a:>10} -> {b:<10} {n:4d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
