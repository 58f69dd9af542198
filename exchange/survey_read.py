"""Read filled survey workbooks into located records, one per data row.

Each cell is converted by its column's kind (text, whole number, number, date, yes/no,
list, choice); a cell that does not convert becomes a :class:`Problem` naming the file,
the row, and ``Sheet!Column (field)``, and its raw text is kept so the inventory loader
checks the rest of the row. Nothing here judges references or ranges: the loader does
that once all workbooks are merged (see :mod:`exchange.survey_merge`).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from core.errors import Problem
from exchange.survey_schema import (
    BOOLEAN_WORDS,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    SHEETS,
    VOCABULARIES,
    Column,
    Lang,
    SheetSpec,
    choices_text,
)
from inventory.model import SECTIONS

__all__ = ["Record", "WorkbookRead", "convert_cell", "read_workbook"]

_LIST_SEPARATORS = re.compile(r"[,;，；、\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_NUMBER_DECORATION = re.compile(r"[,，\s¥￥]")


@dataclass(slots=True)
class Record:
    """One data row: the inventory entry it declares and where each of its fields sits."""

    section: str
    value: dict[str, Any]  # inventory entry, defaults left out (what gets written)
    file: str  # the workbook as the user named it
    sheet: str  # the sheet's name in that workbook
    row: int
    columns: dict[str, str]  # field key -> column letter
    bad: set[str] = field(default_factory=set)  # field keys whose cell did not convert

    @property
    def key(self) -> str | None:
        """The entry's id (a website's domain), or None when the key cell is empty."""
        value = self.value.get(SECTIONS[self.section][1])
        return value if isinstance(value, str) and value else None

    def field_label(self, key: str) -> str:
        """``设备!C (platform)``: where field ``key`` of this row is, for a Problem's field."""
        letter = self.columns.get(key)
        return f"{self.sheet}!{letter} ({key})" if letter else f"{self.sheet} ({key})"

    def problem(self, key: str, message: str) -> Problem:
        return Problem(self.file, self.row, self.field_label(key), message)

    def place(self) -> str:
        """``edu.xlsx, sheet 专线, row 7``: this row, for messages about another row."""
        return f"{self.file}, sheet {self.sheet}, row {self.row}"


@dataclass(slots=True)
class WorkbookRead:
    """What one workbook declared, and what was wrong with its cells."""

    file: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    missing_columns: set[tuple[str, str]] = field(default_factory=set)  # (section, field key)


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()


_SHEET_NAMES: dict[str, tuple[SheetSpec, Lang]] = {}
for _spec in SHEETS:
    _SHEET_NAMES[_fold(_spec.zh)] = (_spec, "zh")
    _SHEET_NAMES[_fold(_spec.en)] = (_spec, "en")
    _SHEET_NAMES[_fold(_spec.section)] = (_spec, "en")
_SKIPPED_SHEETS = {_fold(name) for names in (INSTRUCTIONS_SHEET, LISTS_SHEET) for name in names.values()}


def _header_key(text: str) -> str:
    return _fold(text.rstrip().rstrip("*").rstrip())


def _column_lookup(spec: SheetSpec) -> dict[str, Column]:
    lookup = {}
    for column in spec.columns:
        for name in (column.zh, column.en, column.key):
            lookup[_header_key(name)] = column
    return lookup


_COLUMNS = {spec.section: _column_lookup(spec) for spec in SHEETS}


def read_workbook(path: Path, display: str) -> WorkbookRead:
    """Read every known sheet of the workbook at ``path``; ``display`` names it in problems."""
    result = WorkbookRead(display)
    if path.suffix.lower() in (".xls", ".et", ".ods"):
        result.problems.append(Problem(display, None, None, f"a {path.suffix} file: save it as an Excel "
                                       "workbook (.xlsx) and import that"))
        return result
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it drops on reading (extensions of
            # data validation, conditional formats); the cell values are all we need.
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        result.problems.append(Problem(display, None, None, "no such file"))
        return result
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        result.problems.append(Problem(display, None, None,
                                       f"not an Excel workbook (.xlsx) that can be read: {detail}"))
        return result
    try:
        seen: dict[str, str] = {}
        for ws in wb.worksheets:
            name = _fold(ws.title)
            if name in _SKIPPED_SHEETS:
                continue
            found = _SHEET_NAMES.get(name)
            if found is None:
                result.ignored_sheets.append(ws.title)
                continue
            spec, lang = found
            if spec.section in seen:
                result.problems.append(Problem(display, None, ws.title, f"a second {spec.en} sheet "
                                               f"(the first is {seen[spec.section]!r}): merge them into one"))
                continue
            seen[spec.section] = ws.title
            _read_sheet(ws, spec, lang, result)
    finally:
        wb.close()
    return result


def _read_sheet(ws: Any, spec: SheetSpec, lang: Lang, result: WorkbookRead) -> None:
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    if all(_blank(v) for v in header):
        if any(not all(_blank(v) for v in cells) for cells in rows):
            result.problems.append(Problem(result.file, 1, ws.title,
                                           "no header row: row 1 must hold the column headers of the template"))
        return  # an emptied sheet declares nothing
    columns = _read_header(header, spec, lang, ws.title, result)
    for row_number, cells in enumerate(rows, start=2):
        if all(_blank(v) for v in cells):
            continue
        record = _read_row(cells, columns, spec, lang, ws.title, row_number, result)
        if record.key is not None and record.key.casefold() == spec.example_key.casefold():
            continue  # the template's example row
        result.records.append(record)


def _read_header(header: tuple[Any, ...], spec: SheetSpec, lang: Lang, sheet: str, result: WorkbookRead
                 ) -> dict[int, Column]:
    """Column index -> Column, from row 1; problems for unknown, doubled and missing columns."""
    lookup = _COLUMNS[spec.section]
    columns: dict[int, Column] = {}
    where: dict[str, str] = {}
    for index, text in enumerate(header):
        if _blank(text):
            continue
        letter = get_column_letter(index + 1)
        column = lookup.get(_header_key(str(text)))
        if column is None:
            known = ", ".join(c.header(lang) for c in spec.columns)
            result.problems.append(Problem(result.file, 1, f"{sheet}!{letter}",
                                           f"unknown column {str(text).strip()!r}; this sheet's columns: {known}"))
        elif column.key in where:
            result.problems.append(Problem(result.file, 1, f"{sheet}!{letter} ({column.key})",
                                           f"column {str(text).strip()!r} appears twice "
                                           f"(also column {where[column.key]})"))
        else:
            columns[index] = column
            where[column.key] = letter
    for column in spec.columns:
        if column.required and column.key not in where:
            result.problems.append(Problem(result.file, 1, f"{sheet} ({column.key})",
                                           f"required column {column.header('zh')!r} / "
                                           f"{column.header('en')!r} is missing"))
            result.missing_columns.add((spec.section, column.key))
    return columns


def _read_row(cells: tuple[Any, ...], columns: dict[int, Column], spec: SheetSpec, lang: Lang,
              sheet: str, row: int, result: WorkbookRead) -> Record:
    letters = {c.key: get_column_letter(i + 1) for i, c in columns.items()}
    record = Record(spec.section, {}, result.file, sheet, row, letters)
    flat: dict[str, Any] = {}
    for index, column in columns.items():
        raw = cells[index] if index < len(cells) else None
        value, message = convert_cell(column, raw, lang)
        if message is not None:
            record.bad.add(column.key)
            result.problems.append(record.problem(column.key, message))
        if value is not None:
            flat[column.key] = value
    record.value = _entry(flat, spec.section, record, result)
    return record


def _entry(flat: dict[str, Any], section: str, record: Record, result: WorkbookRead) -> dict[str, Any]:
    """Column values as an inventory entry: ends nested, coordinates paired, defaults left out."""
    entry: dict[str, Any] = {}
    model = SECTIONS[section][0]
    for key, value in flat.items():
        if key in ("latitude", "longitude"):
            continue
        if "." in key:
            end, part = key.split(".", 1)
            entry.setdefault(end, {})[part] = value
            continue
        info = model.model_fields.get(key)
        if info is not None and not info.is_required() and key not in record.bad and value == info.default \
                and type(value) is type(info.default):
            continue  # written out, it would differ from a file that leaves the default implicit
        entry[key] = value
    if "latitude" in flat or "longitude" in flat:
        if "latitude" in flat and "longitude" in flat:
            entry["coordinates"] = [flat["latitude"], flat["longitude"]]
        else:
            missing = "longitude" if "latitude" in flat else "latitude"
            record.bad.add(missing)
            result.problems.append(record.problem(missing, "give both the latitude and the longitude, or neither"))
    return entry


# --------------------------------------------------------------------------- cells

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def convert_cell(column: Column, raw: Any, lang: Lang) -> tuple[Any, str | None]:
    """The inventory value of one cell, and a message when the cell does not read.

    On a problem the raw text comes back as the value (the loader may still check the
    row's other fields with it). Empty cells read as None.

    >>> from exchange.survey_schema import SHEETS_BY_SECTION
    >>> kind = SHEETS_BY_SECTION["networks"].columns[3]
    >>> convert_cell(kind, "专网", "zh"), convert_cell(kind, "LAN", "zh")
    (('private', None), ('lan', None))
    >>> convert_cell(kind, "卫星", "zh")[1]
    "unknown kind '卫星'; choose one of: 局域网, 专网, 电子政务外网, 涉密网, 互联网"
    """
    if _blank(raw):
        return None, None
    reader = _READERS[column.kind]
    try:
        return reader(column, raw, lang), None
    except _CellError as exc:
        text = raw.strip() if isinstance(raw, str) else raw
        return text, str(exc)


class _CellError(ValueError):
    """A cell that does not read as its column's kind; the message says why."""


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # a circuit id typed as a number
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _read_text(column: Column, raw: Any, lang: Lang) -> str:
    text = _text(raw)
    if column.vocab is not None:  # an open vocabulary: a label becomes the stored name
        folded = _fold(text)
        for choice in VOCABULARIES[column.vocab]:
            if folded in (_fold(choice.en), _fold(choice.zh), _fold(str(choice.code))):
                return str(choice.code)
    return text


def _read_int(column: Column, raw: Any, lang: Lang) -> int:
    number = _read_number(column, raw, lang)
    if isinstance(number, float):
        if not number.is_integer():
            raise _CellError(f"must be a whole number (got {_shown(raw)})")
        return int(number)
    return number


def _read_number(column: Column, raw: Any, lang: Lang) -> int | float:
    if isinstance(raw, (bool, dt.date, dt.datetime)):
        raise _CellError(f"must be a number (got {_shown(raw)})")
    if isinstance(raw, (int, float)):
        return raw
    text = _NUMBER_DECORATION.sub("", str(raw))
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise _CellError(f"must be a number (got {_shown(raw)})") from None


def _read_date(column: Column, raw: Any, lang: Lang) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raise _CellError(f"must be a date YYYY-MM-DD (got the number {raw!r}: format the cell as a date "
                         "or type the date as text)")
    match = _DATE.match(str(raw).strip())
    if match is None:
        raise _CellError(f"must be a date YYYY-MM-DD (got {_shown(raw)})")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise _CellError(f"must be a date YYYY-MM-DD (got {_shown(raw)}): {exc}") from None


def _read_bool(column: Column, raw: Any, lang: Lang) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    folded = _fold(str(raw))
    for choice in VOCABULARIES["boolean"]:
        if folded in (_fold(choice.en), _fold(choice.zh)):
            return bool(choice.code)
    if folded in BOOLEAN_WORDS:
        return BOOLEAN_WORDS[folded]
    raise _CellError(f"must be one of: {choices_text('boolean', lang)} (got {_shown(raw)})")


def _read_list(column: Column, raw: Any, lang: Lang) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(_text(raw)) if part.strip()]


def _read_choice(column: Column, raw: Any, lang: Lang) -> Any:
    folded = _fold(_text(raw))
    assert column.vocab is not None
    for choice in VOCABULARIES[column.vocab]:
        if folded in (_fold(choice.en), _fold(choice.zh), _fold(str(choice.code))):
            return choice.code
    what = column.key.replace("_", " ")
    raise _CellError(f"unknown {what} {_shown(raw)}; choose one of: {choices_text(column.vocab, lang)}")


def _shown(raw: Any) -> str:
    return repr(raw.strip()) if isinstance(raw, str) else repr(_text(raw))


_READERS = {
    "text": _read_text,
    "int": _read_int,
    "number": _read_number,
    "date": _read_date,
    "bool": _read_bool,
    "list": _read_list,
    "choice": _read_choice,
}
