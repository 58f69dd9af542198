"""Survey workbooks (调查表): the template departments fill in, its import, and exports.

``write_survey_template`` writes a blank workbook; ``import_surveys`` reads filled
ones into an inventory directory; ``export_surveys`` writes an inventory back out as
one workbook per department, for a department to review and correct. The layout is
described in :mod:`exchange.survey_schema` and ``docs/exchange.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from core.errors import InputError, Problem
from exchange.survey_merge import ImportReport, merge_into
from exchange.survey_read import WorkbookRead, read_workbook
from exchange.survey_schema import CARRIERS, SHEETS, Lang
from exchange.survey_workbook import build_workbook
from inventory.model import Entity, Id, Inventory

__all__ = ["SHARED_WORKBOOK", "ImportReport", "export_surveys", "import_surveys", "write_survey_template"]

#: The export workbook of what belongs to no department (sites and approvals nobody refers to).
SHARED_WORKBOOK = "_shared.xlsx"

_LANGS = ("zh", "en")


def write_survey_template(path: Path | str, lang: Lang = "zh", department: str | None = None) -> Path:
    """Write a blank survey workbook to ``path`` (``.xlsx``) in ``lang`` (``zh`` or ``en``).

    ``department`` pre-fills the department id (on the Departments sheet, in the example
    rows and on the instructions). Returns the path written.
    """
    _check_lang(lang)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError([Problem(str(path), None, None, "a survey template is an Excel workbook: "
                                  "give a file name ending in .xlsx")])
    if department is not None:
        _check_department_id(department)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(lang, department=department).save(path)
    return path


def import_surveys(paths: Iterable[Path | str], out_dir: Path | str) -> ImportReport:
    """Import filled workbooks into the inventory directory ``out_dir``.

    Every workbook becomes ``out_dir/survey/<workbook name>.yaml``; entries already
    declared elsewhere with the same content are kept once. Raises
    :class:`core.errors.InputError` listing every problem (file, row,
    ``Sheet!Column (field)``) and then writes nothing. A workbook given twice is read once.
    """
    reads: list[tuple[Path, WorkbookRead]] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        reads.append((path, read_workbook(path, str(given))))
    if not reads:
        raise InputError([Problem("import-survey", None, None, "no workbook given")])
    return merge_into(reads, Path(out_dir))


def export_surveys(inventory: Inventory, out_dir: Path | str, lang: Lang = "zh") -> list[Path]:
    """Write the inventory as one filled workbook per department into ``out_dir``.

    A department's workbook holds the department, its rooms, networks, devices, leased
    lines and websites, the sites they refer to, and the approvals that cover them or
    that they cite. Sites and approvals no department refers to go to
    :data:`SHARED_WORKBOOK`. Importing all of them again gives the same inventory
    (the policy and waivers are not part of a survey). Returns the paths written.
    """
    _check_lang(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    carriers = sorted({c.carrier for c in inventory.circuits.values()} - {c.code for c in CARRIERS})
    written = []
    for name, rows in _split_by_department(inventory).items():
        workbook = build_workbook(lang, rows, example=False, extra_choices={"carrier": carriers})
        path = out / name
        workbook.save(path)
        written.append(path)
    return written


# --------------------------------------------------------------------------- export

def _split_by_department(inventory: Inventory) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Workbook file name -> section -> rows, each department's share of the inventory."""
    books: dict[str, dict[str, list[dict[str, Any]]]] = {}
    placed_sites: set[str] = set()
    placed_approvals: set[str] = set()
    for dept in inventory.departments.values():
        own = {section: [e for e in getattr(inventory, section).values() if e.department == dept.id]
               for section in ("rooms", "networks", "devices", "circuits", "websites")}
        sites = _sites_of(own)
        ids = {dept.id} | sites | {_key(s, e) for s, items in own.items() for e in items}
        cited = {e.approval for items in own.values() for e in items if getattr(e, "approval", None)}
        approvals = [a for a in inventory.approvals.values() if a.id in cited or ids.intersection(a.covers)]
        placed_sites |= sites
        placed_approvals |= {a.id for a in approvals}
        book = {"departments": [dept], **own,
                "sites": [s for s in inventory.sites.values() if s.id in sites], "approvals": approvals}
        books[f"{dept.id}.xlsx"] = _rows(book)
    shared = {"sites": [s for s in inventory.sites.values() if s.id not in placed_sites],
              "approvals": [a for a in inventory.approvals.values() if a.id not in placed_approvals]}
    if any(shared.values()):
        books[SHARED_WORKBOOK] = _rows(shared)
    return books


def _sites_of(own: dict[str, list[Any]]) -> set[str]:
    sites = {r.site for r in own["rooms"]} | {d.site for d in own["devices"] if d.site}
    sites |= {end.site for c in own["circuits"] for end in (c.a, c.z)}
    return sites


def _key(section: str, entity: Any) -> str:
    return entity.domain if section == "websites" else entity.name if section == "devices" else entity.id


def _rows(book: dict[str, list[Entity]]) -> dict[str, list[dict[str, Any]]]:
    return {spec.section: [_row(e) for e in book.get(spec.section, [])] for spec in SHEETS}


def _row(entity: Entity) -> dict[str, Any]:
    """An entity as column key -> value: ends flattened (``a.site``), coordinates split."""
    data = entity.model_dump(mode="python", exclude_defaults=True)
    row: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("a", "z"):
            row.update({f"{key}.{part}": v for part, v in value.items()})
        elif key == "coordinates":
            row["latitude"], row["longitude"] = value
        else:
            row[key] = value
    return row


# --------------------------------------------------------------------------- argument checks

def _check_lang(lang: str) -> None:
    if lang not in _LANGS:
        raise InputError([Problem("--lang", None, None, f"unknown language {lang!r}; choose zh or en")])


def _check_department_id(department: str) -> None:
    try:
        TypeAdapter(Id).validate_python(department)
    except ValidationError:
        raise InputError([Problem("--department", None, None, f"{department!r} is not a valid id: letters, "
                                  "digits, '.', '_' and '-', starting with a letter or digit")]) from None
