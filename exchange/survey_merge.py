"""Merge the records of several workbooks into an inventory directory, or report why not.

Each workbook owns one file, ``<out_dir>/survey/<workbook name>.yaml``; importing a
workbook again replaces its own file and nothing else. An entry declared in several
places (two workbooks, or a workbook and a file already in the inventory) is kept
once when the declarations agree, and reported field by field when they do not:
nothing is ever silently overwritten. The merged result is checked by the inventory
loader itself, and its problems are traced back to the workbook cell they came from.
Nothing is written unless there is no problem at all.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string

from core.errors import InputError, InventoryError, Problem
from exchange.survey_read import Record, WorkbookRead
from exchange.survey_schema import SHEETS, SHEETS_BY_SECTION
from exchange.writer import SECTION_ORDER, entity_data, sections_yaml, write_text_atomic
from inventory.loader import YAML_SUFFIXES, load_inventory, read_inventory
from inventory.model import SECTIONS

__all__ = ["SURVEY_FOLDER", "ImportReport", "merge_into"]

#: The folder of an inventory directory that holds one file per imported workbook.
SURVEY_FOLDER = "survey"

_LOADER_FIELD = re.compile(r"^(?P<section>\w+)\[(?P<index>\d+)\](?:\.(?P<rest>.+))?$")
_LABELS = {"departments": "department", "sites": "site", "rooms": "room", "networks": "network",
           "devices": "device", "circuits": "circuit", "websites": "website", "approvals": "approval",
           "waivers": "waiver"}


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    written: tuple[Path, ...]  # survey files created or changed
    unchanged: tuple[Path, ...]  # survey files that already held exactly this
    removed: tuple[Path, ...]  # survey files of these workbooks that now declare nothing
    declared: dict[str, int] = field(default_factory=dict)  # section -> entries the workbooks declared
    merged: int = 0  # declarations identical to one made elsewhere, kept once
    ignored_sheets: tuple[str, ...] = ()  # "file: sheet" of sheets that are not part of a survey


@dataclass(slots=True)
class _Declared:
    """The first declaration of a key: its canonical entry and where it was made."""

    value: dict[str, Any]
    where: str
    record: Record | None  # None for an entry of the existing inventory


def survey_file_name(workbook: Path) -> str:
    """The survey file of a workbook: its name with unsafe characters replaced, ``.yaml``.

    >>> survey_file_name(Path("/tmp/教育局 调查表.xlsx"))
    '教育局_调查表.yaml'
    """
    stem = re.sub(r"[^\w.-]", "_", workbook.stem).lstrip(".") or "workbook"
    return f"{stem}.yaml"


def merge_into(reads: list[tuple[Path, WorkbookRead]], out_dir: Path) -> ImportReport:
    """Merge workbook records into ``out_dir``; raise :class:`InputError` with every problem."""
    problems: list[Problem] = [p for _, read in reads for p in read.problems]
    names: dict[str, str] = {}
    for path, read in reads:
        name = survey_file_name(path)
        if name in names:
            problems.append(Problem(read.file, None, None, f"has the same name as {names[name]}: both would be "
                                    f"imported as {SURVEY_FOLDER}/{name}; rename one of them"))
        names.setdefault(name, read.file)
    if out_dir.exists() and not out_dir.is_dir():
        problems.append(Problem(str(out_dir), None, None, "not a directory"))
    if problems and any(p.line is None for p in problems):
        raise InputError(_ordered(problems))  # unreadable workbooks: nothing sensible to merge
    replaced = {f"{SURVEY_FOLDER}/{survey_file_name(path)}" for path, _ in reads}
    with tempfile.TemporaryDirectory(prefix="netcensus-survey-") as tmp:
        check_dir = Path(tmp)
        base_files = _copy_base(out_dir, check_dir, replaced)
        base = _load_base(check_dir, out_dir, base_files)
        owned, merged, declared = _merge(base, reads, problems)
        texts = {}
        for path, read in reads:
            rel = f"{SURVEY_FOLDER}/{survey_file_name(path)}"
            sections = owned.get(read.file, {})
            if sections:
                texts[rel] = (sections, _file_text(path, sections))
        for rel, (_, text) in texts.items():
            target = check_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        missing = {(read.file, key) for _, read in reads for key in read.missing_columns}
        if base_files or texts:  # (an empty folder is no inventory to check)
            problems += _loader_problems(check_dir, out_dir, {rel: s for rel, (s, _) in texts.items()}, missing)
    if problems:
        raise InputError(_ordered(_dedupe(problems)))
    return _write(out_dir, texts, replaced, declared, merged, reads)


# --------------------------------------------------------------------------- base inventory

def _copy_base(out_dir: Path, check_dir: Path, replaced: set[str]) -> list[str]:
    """Copy the inventory files of ``out_dir`` that stay (all but the replaced survey files)."""
    kept = []
    if not out_dir.is_dir():
        return kept
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir)
        if (path.suffix.lower() not in YAML_SUFFIXES or any(p.startswith(".") for p in rel.parts)
                or not path.is_file() or rel.as_posix() in replaced):
            continue
        target = check_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        kept.append(rel.as_posix())
    return kept


def _load_base(check_dir: Path, out_dir: Path, base_files: list[str]) -> dict[tuple[str, str], _Declared]:
    """The entries already in the inventory, canonical, with their ``file:line``.

    Their problems are not reported here: the files may refer to entries the workbooks
    are about to declare (a policy naming the backbone). The check of the merged
    directory reports whatever is still wrong.
    """
    if not base_files:
        return {}
    inventory, _ = read_inventory(check_dir)
    base = {}
    for section in SECTIONS:
        for key, entity in getattr(inventory, section).items():
            src = inventory.sources.get((section, key))
            where = f"{out_dir / src.file}:{src.line}" if src else str(out_dir)
            base[(section, key)] = _Declared(entity_data(entity), where, None)
    return base


def _in_out_dir(problem: Problem, out_dir: Path) -> Problem:
    return Problem(str(out_dir / problem.file), problem.line, problem.field, problem.message)


# --------------------------------------------------------------------------- merging

def _merge(base: dict[tuple[str, str], _Declared], reads: list[tuple[Path, WorkbookRead]],
           problems: list[Problem]) -> tuple[dict[str, dict[str, list[Record]]], int, dict[str, int]]:
    """Who writes each entry (the first workbook declaring it, unless the inventory has it)."""
    first: dict[tuple[str, str], _Declared] = dict(base)
    owned: dict[str, dict[str, list[Record]]] = {}
    merged = 0
    declared: dict[str, int] = {}
    for _, read in reads:
        for record in read.records:
            key = record.key
            earlier = first.get((record.section, key)) if key is not None else None
            if earlier is None:
                if key is not None:
                    first[(record.section, key)] = _Declared(record.value, record.place(), record)
                owned.setdefault(read.file, {}).setdefault(record.section, []).append(record)
                declared[record.section] = declared.get(record.section, 0) + 1
                continue
            differences = [f for f in _differences(earlier.value, record.value) if f not in record.bad]
            if not differences:
                merged += 1
                if earlier.record is None:
                    declared[record.section] = declared.get(record.section, 0) + 1
                continue
            label = _LABELS[record.section]
            for name in differences:
                problems.append(record.problem(name, (
                    f"{label} {key!r} is declared differently in {earlier.where}: {name} is "
                    f"{_shown(_get(earlier.value, name))} there, {_shown(_get(record.value, name))} here; "
                    "make the declarations agree (netcensus never overwrites one with the other)")))
    return owned, merged, declared


def _differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Field keys (``a.site``, ``latitude``) whose values differ between two entries."""
    out = []
    for name in dict.fromkeys([*a, *b]):
        x, y = a.get(name), b.get(name)
        if name in ("a", "z"):
            x, y = x or {}, y or {}
            out += [f"{name}.{part}" for part in dict.fromkeys([*x, *y]) if not _same(x.get(part), y.get(part))]
        elif name == "coordinates":
            x, y = list(x or (None, None)), list(y or (None, None))
            out += [axis for axis, i in (("latitude", 0), ("longitude", 1)) if not _same(x[i], y[i])]
        elif not _same(x, y):
            out.append(name)
    return out


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)):
        return len(x) == len(y) and all(_same(i, j) for i, j in zip(x, y, strict=True))
    if isinstance(x, bool) or isinstance(y, bool):
        return x is y
    return x == y


def _get(value: dict[str, Any], name: str) -> Any:
    if "." in name:
        end, part = name.split(".", 1)
        return (value.get(end) or {}).get(part)
    if name in ("latitude", "longitude"):
        coordinates = value.get("coordinates")
        return coordinates[0 if name == "latitude" else 1] if coordinates else None
    return value.get(name)


def _shown(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, (list, tuple)):
        return repr(", ".join(str(v) for v in value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value)


# --------------------------------------------------------------------------- files and the loader

def _file_text(workbook: Path, sections: dict[str, list[Record]]) -> str:
    header = (f"Imported from the survey workbook {workbook.name} by netcensus import-survey.\n"
              "Correct the workbook and import it again: this file is replaced on every import.")
    return sections_yaml({s: [r.value for r in sections[s]] for s in SECTION_ORDER if s in sections},
                         header=header)


def _loader_problems(check_dir: Path, out_dir: Path, files: dict[str, dict[str, list[Record]]],
                     missing: set[tuple[str, tuple[str, str]]]) -> list[Problem]:
    try:
        load_inventory(check_dir)
    except InventoryError as exc:
        out = []
        for problem in exc.problems:
            sections = files.get(problem.file)
            if sections is None:
                out.append(_in_out_dir(problem, out_dir))
                continue
            located = _locate(problem, sections, missing)
            if located is not None:
                out.append(located)
        return out
    return []


def _locate(problem: Problem, sections: dict[str, list[Record]],
            missing: set[tuple[str, tuple[str, str]]]) -> Problem | None:
    """The loader's ``circuits[3].a.site`` problem, at its workbook cell (None: already reported)."""
    match = _LOADER_FIELD.match(problem.field or "")
    records = sections.get(match["section"], []) if match else []
    index = int(match["index"]) if match else -1
    if not 0 <= index < len(records):  # cannot happen for files we wrote; never lose a problem
        return problem
    record = records[index]
    name = _field_key(record.section, match["rest"])
    if (record.file, (record.section, name)) in missing:
        return None  # the whole column is missing: reported once, at the header
    return record.problem(name, problem.message)


def _field_key(section: str, rest: str | None) -> str:
    """``a.site`` -> ``a.site``; ``prefixes[2]`` -> ``prefixes``; ``coordinates[1]`` -> ``longitude``."""
    if not rest:  # a rule about the whole entry: point at the column it is about
        return "room" if section == "devices" else SHEETS_BY_SECTION[section].key.key
    parts = rest.split(".")
    head = parts[0]
    if head.startswith("coordinates"):
        return "longitude" if head.endswith("[1]") else "latitude"
    head = re.sub(r"\[\d+\]$", "", head)
    if head in ("a", "z") and len(parts) > 1:
        return f"{head}.{parts[1].split('[')[0]}"
    return head


def _dedupe(problems: Iterable[Problem]) -> list[Problem]:
    """One problem per cell: the first (a cell that did not read) wins over what followed from it."""
    seen: set[tuple[str, int | None, str | None]] = set()
    out = []
    for problem in problems:
        where = (problem.file, problem.line, problem.field)
        if problem.line is not None and problem.field is not None and where in seen:
            continue
        seen.add(where)
        out.append(problem)
    return out


def _ordered(problems: list[Problem]) -> list[Problem]:
    """Problems by file, then sheet in workbook order, row, and column."""
    return sorted(problems, key=_problem_order)


_SHEET_RANK = {name: rank for rank, spec in enumerate(SHEETS) for name in (spec.zh, spec.en)}
_CELL = re.compile(r"^(?P<sheet>[^!(]+?)(?:!(?P<column>[A-Z]+))?(?: \(.*\))?$")


def _problem_order(problem: Problem) -> tuple[str, int, int, int, str, str]:
    match = _CELL.match(problem.field or "")
    rank = _SHEET_RANK.get(match["sheet"], len(SHEETS)) if match else len(SHEETS)
    column = column_index_from_string(match["column"]) if match and match["column"] else 0
    return (problem.file, rank, problem.line or 0, column, problem.field or "", problem.message)


def _write(out_dir: Path, texts: dict[str, tuple[dict[str, list[Record]], str]], replaced: set[str],
           declared: dict[str, int], merged: int, reads: list[tuple[Path, WorkbookRead]]) -> ImportReport:
    written, unchanged, removed = [], [], []
    for rel, (_, text) in texts.items():
        path = out_dir / rel
        (written if write_text_atomic(path, text) else unchanged).append(path)
    for rel in sorted(replaced - set(texts)):
        stale = out_dir / rel
        if stale.is_file():
            stale.unlink()
            removed.append(stale)
    ignored = tuple(f"{read.file}: {sheet}" for _, read in reads for sheet in read.ignored_sheets)
    return ImportReport(tuple(written), tuple(unchanged), tuple(removed), declared, merged, ignored)
