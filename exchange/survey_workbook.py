"""Build survey workbooks with openpyxl: the blank template and filled exports.

Layout of every entity sheet: row 1 holds the headers (required ones end with ``*``,
each with a comment explaining the field), data starts on row 2. Closed vocabularies
get a drop-down that refuses other values; id columns (departments, sites, rooms,
...) get a drop-down of the ids declared in this workbook that only warns, because a
line may end at another department's site. The choices live on a hidden sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exchange.survey_schema import (
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    OPEN_VOCABULARIES,
    SHEETS,
    VOCABULARIES,
    Column,
    Lang,
    SheetSpec,
    choice_label,
)

__all__ = ["Rows", "build_workbook"]

#: Section -> rows; a row maps column keys to inventory values (choice codes, dates, lists).
Rows = Mapping[str, Iterable[Mapping[str, Any]]]

#: Drop-downs and formats reach this many rows past the data, for rows people add.
_SPARE_ROWS = 1000

_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_EXAMPLE_FILL = PatternFill("solid", start_color="FFF2CC")
_EXAMPLE_FONT = Font(italic=True, color="7F6000")
_TEXT_FORMAT = "@"  # keeps "00123" and "1-2" as typed instead of a number or a date
_DATE_FORMAT = "yyyy-mm-dd"


def build_workbook(lang: Lang, rows: Rows | None = None, *, department: str | None = None,
                   example: bool = True, extra_choices: Mapping[str, Iterable[str]] | None = None) -> Workbook:
    """A survey workbook in ``lang``: instructions, one sheet per section, hidden choice lists.

    ``rows`` fills the sheets (an export); ``example`` adds the example row (a template);
    ``department`` pre-fills the department columns of the example and one row of the
    Departments sheet; ``extra_choices`` adds values to open vocabularies (carriers).
    """
    wb = Workbook()
    _write_instructions(wb.active, lang, department)
    lists = wb.create_sheet(LISTS_SHEET[lang])
    ranges = _write_lists(lists, lang, extra_choices or {})
    for spec in SHEETS:
        ws = wb.create_sheet(spec.name(lang))
        data = list((rows or {}).get(spec.section, ()))
        if example:
            data.insert(0, _example_row(spec, department))
        if department and spec.section == "departments" and not any(
                r.get("id") == department for r in data):
            data.append({"id": department})
        _write_sheet(ws, spec, lang, data, ranges, example_rows=1 if example else 0)
    lists.sheet_state = "hidden"
    return wb


# --------------------------------------------------------------------------- sheets

def _write_sheet(ws: Worksheet, spec: SheetSpec, lang: Lang, rows: list[Mapping[str, Any]],
                 ranges: dict[str, str], *, example_rows: int) -> None:
    last = len(rows) + 1 + _SPARE_ROWS
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.header(lang))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cell.comment = Comment(column.hint(lang) or column.header(lang), "netcensus", width=240, height=70)
        dimension = ws.column_dimensions[letter]
        dimension.width = _width(column, lang)
        if column.kind in ("text", "list"):
            dimension.number_format = _TEXT_FORMAT
        elif column.kind == "date":
            dimension.number_format = _DATE_FORMAT
        validation = _validation(column, spec, lang, ranges)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(validation)
    for offset, row in enumerate(rows):
        for index, column in enumerate(spec.columns, start=1):
            cell = ws.cell(row=offset + 2, column=index)
            _set_cell(cell, column, row.get(column.key), lang)
            if offset < example_rows:
                cell.font = _EXAMPLE_FONT
                cell.fill = _EXAMPLE_FILL
    ws.freeze_panes = "B2"


def _width(column: Column, lang: Lang) -> float:
    header = column.header(lang)
    wide = sum(2 if ord(ch) > 0x2E80 else 1 for ch in header)  # CJK characters take two columns
    return float(max(12, min(40, wide + 4)))


def _set_cell(cell: Any, column: Column, value: Any, lang: Lang) -> None:
    if value is None or value == [] or value == ():
        return
    if column.vocab is not None:
        cell.value = choice_label(column.vocab, value, lang)
    elif column.kind == "list":
        cell.value = ", ".join(str(v) for v in value)
    elif column.kind == "date":
        cell.value = value if isinstance(value, dt.date) else str(value)
        cell.number_format = _DATE_FORMAT
    else:
        cell.value = value
    if isinstance(cell.value, str):
        # openpyxl stores text starting with "=" as a formula: keep untrusted text as text.
        cell.data_type = "s"
        if column.kind in ("text", "list"):
            cell.number_format = _TEXT_FORMAT


def _validation(column: Column, spec: SheetSpec, lang: Lang, ranges: dict[str, str]) -> DataValidation | None:
    """The drop-down of a column: a vocabulary (closed: refuses others) or ids (open: warns)."""
    if column.vocab is not None:
        closed = column.vocab not in OPEN_VOCABULARIES
        return _list_validation(ranges[column.vocab], closed, lang, column.header(lang))
    if column.ref is not None and column.kind != "list":
        target = next(s for s in SHEETS if s.section == column.ref)
        formula = f"{quote_sheetname(target.name(lang))}!$A$2:$A${_SPARE_ROWS * 10}"
        return _list_validation(formula, False, lang, column.header(lang), ref_sheet=target.name(lang))
    return None


def _list_validation(formula: str, closed: bool, lang: Lang, title: str, ref_sheet: str | None = None
                     ) -> DataValidation:
    if closed:
        error = "请从下拉列表中选择。" if lang == "zh" else "Choose a value from the drop-down list."
    elif ref_sheet:
        error = (f"“{ref_sheet}”表中没有这个编号：若它由其他部门填报，请点“是”保留。" if lang == "zh" else
                 f"Not an id of the {ref_sheet} sheet: keep it (Yes) if another department declares it.")
    else:
        error = ("不在列表中：确认无误请点“是”保留。" if lang == "zh" else
                 "Not in the list: keep it (Yes) if it is right.")
    return DataValidation(type="list", formula1=f"={formula}", allow_blank=True, showErrorMessage=True,
                          errorStyle="stop" if closed else "warning", errorTitle=title[:32], error=error)


def _example_row(spec: SheetSpec, department: str | None) -> dict[str, Any]:
    row = {c.key: c.example for c in spec.columns if c.example is not None}
    if department:
        for column in spec.columns:
            if column.ref == "departments" and column.key in row:
                row[column.key] = department
    return row


# --------------------------------------------------------------------------- lists and instructions

def _write_lists(ws: Worksheet, lang: Lang, extra: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Write each vocabulary as a column; return vocabulary -> its absolute range."""
    ranges = {}
    for index, (name, choices) in enumerate(VOCABULARIES.items(), start=1):
        labels = [c.label(lang) for c in choices]
        labels += [v for v in extra.get(name, ()) if v not in labels and v not in {c.code for c in choices}]
        ws.cell(row=1, column=index, value=name).font = Font(bold=True)
        for offset, label in enumerate(labels, start=2):
            ws.cell(row=offset, column=index, value=label).data_type = "s"
        letter = get_column_letter(index)
        ranges[name] = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(labels) + 1}"
    return ranges


def _write_instructions(ws: Worksheet, lang: Lang, department: str | None) -> None:
    ws.title = INSTRUCTIONS_SHEET[lang]
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 110
    ws.cell(row=1, column=1, value=_TITLE[lang]).font = Font(bold=True, size=14)
    row = 3
    if department:
        ws.cell(row=row, column=1, value="部门编号" if lang == "zh" else "Department id").font = Font(bold=True)
        ws.cell(row=row, column=2, value=department)
        row += 2
    for line in _STEPS[lang]:
        ws.cell(row=row, column=2, value=line).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="工作表" if lang == "zh" else "Sheet").font = Font(bold=True)
    ws.cell(row=row, column=2, value="填写内容" if lang == "zh" else "What to fill in").font = Font(bold=True)
    for spec in SHEETS:
        row += 1
        ws.cell(row=row, column=1, value=spec.name(lang))
        ws.cell(row=row, column=2, value=spec.purpose(lang))


_TITLE = {"zh": "专网、局域网与专线调查表", "en": "Survey of private networks, LANs and leased lines"}

_STEPS = {
    "zh": (
        "1. 每个工作表登记一类对象，每行一条；带 * 的列必填，空白的选填列取默认值。",
        "2. 第 2 行（黄色）是填写示例：编号与示例相同的行（example-…、EXAMPLE-…）不会被导入，可保留或删除。",
        "3. 带下拉框的列请从列表中选择；部门、站点、机房、网络等编号可以填写其他部门登记的编号。",
        "4. 编号由字母、数字和 . _ - 组成，以字母或数字开头；同一编号只登记一次。",
        "5. 日期写成 YYYY-MM-DD；金额单位为元，带宽为 Mbit/s，功率为 kW，距离为 km。",
        "6. 多个值（地址段、所属网络、涵盖对象）用逗号分隔。",
        "7. 不要填写任何密码、口令或团体字：设备只填写凭据配置的名称。",
        "8. 请勿修改工作表名称和表头。",
    ),
    "en": (
        "1. Each sheet declares one kind of entry, one per row; columns marked * are required, "
        "empty optional cells take their default.",
        "2. Row 2 (yellow) is an example: a row with the example's id (example-..., EXAMPLE-...) is never "
        "imported; keep or delete it.",
        "3. Pick values of drop-down columns from the list; department, site, room and network ids "
        "may be ones another department declares.",
        "4. Ids are letters, digits and . _ -, starting with a letter or digit; declare each id once.",
        "5. Dates are YYYY-MM-DD; money is in CNY, bandwidth in Mbit/s, power in kW, distances in km.",
        "6. Separate several values (prefixes, networks, covered ids) with commas.",
        "7. Never write passwords, secrets or SNMP communities: a device names a credential profile only.",
        "8. Do not rename the sheets or change the headers.",
    ),
}
