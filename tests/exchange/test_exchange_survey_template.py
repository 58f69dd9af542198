"""The blank survey workbook: sheets, headers, example row, drop-downs, instructions."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_helpers import column_letter
from openpyxl import load_workbook

from core.errors import InputError
from exchange import import_surveys, write_survey_template
from exchange.survey_schema import SHEETS_BY_SECTION

ENTITY_SHEETS_ZH = ["部门", "站点", "机房", "网络", "设备", "专线", "网站", "审批"]
ENTITY_SHEETS_EN = ["Departments", "Sites", "Rooms", "Networks", "Devices", "Leased lines", "Websites", "Approvals"]


def _validations(ws) -> dict[str, object]:
    """Column letter -> the data validation covering its row 2."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            if cell_range.min_row == 2:
                out[cell_range.coord.split(":")[0].rstrip("0123456789")] = dv
    return out


def _list_values(wb, formula: str) -> list[str]:
    """The values a list validation offers, read from the range its formula names."""
    sheet, cells = formula.lstrip("=").split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row if c.value is not None]


@pytest.mark.parametrize(("lang", "sheets", "instructions"), [
    ("zh", ENTITY_SHEETS_ZH, "填写说明"),
    ("en", ENTITY_SHEETS_EN, "Instructions"),
])
def test_template_has_instructions_and_one_sheet_per_entity_in_its_language(
        tmp_path: Path, lang: str, sheets: list[str], instructions: str) -> None:
    path = write_survey_template(tmp_path / "survey.xlsx", lang)
    wb = load_workbook(path)
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == [instructions, *sheets]
    assert wb[instructions]["B3"].value  # the steps are written out
    devices = wb[sheets[4]]
    headers = [c.value for c in devices[1]]
    spec = SHEETS_BY_SECTION["devices"]
    assert headers == [c.header(lang) for c in spec.columns]
    assert headers[0].endswith("*")  # required columns are marked


def test_headers_are_chinese_in_a_chinese_template(tmp_path: Path) -> None:
    wb = load_workbook(write_survey_template(tmp_path / "survey.xlsx", "zh"))
    assert wb["专线"]["B1"].value == "运营商 *"
    assert wb["专线"]["L1"].value == "带宽(Mbps) *"
    assert wb["设备"]["C1"].comment.text  # every header explains its field


def test_template_has_a_filled_example_row_in_every_entity_sheet(tmp_path: Path) -> None:
    wb = load_workbook(write_survey_template(tmp_path / "survey.xlsx", "zh"))
    for name in ENTITY_SHEETS_ZH:
        row = [c.value for c in wb[name][2]]
        assert row[0], f"{name} has no example"
        assert sum(v is not None for v in row) >= 2
    values = [c.value for c in wb["专线"][2]]
    circuit = {c.key: v for c, v in zip(SHEETS_BY_SECTION["circuits"].columns, values, strict=True)}
    assert circuit["carrier"] == "中国电信" and circuit["kind"] == "MSTP" and circuit["billing"] == "按月"


@pytest.mark.parametrize(("section", "key", "expected"), [
    ("circuits", "carrier", ["中国电信", "中国联通", "中国移动", "中国广电"]),
    ("circuits", "kind", ["MSTP", "SDH/E1", "MPLS VPN", "裸纤", "互联网专线"]),
    ("networks", "kind", ["局域网", "专网", "电子政务外网", "涉密网", "互联网"]),
    ("networks", "isolation", ["无隔离", "逻辑隔离", "物理隔离"]),
    ("rooms", "isolation", ["无隔离", "逻辑隔离", "物理隔离"]),
])
def test_closed_vocabularies_have_drop_downs(tmp_path: Path, section: str, key: str, expected: list[str]) -> None:
    wb = load_workbook(write_survey_template(tmp_path / "survey.xlsx", "zh"))
    ws = wb[SHEETS_BY_SECTION[section].name("zh")]
    dv = _validations(ws)[column_letter(section, key)]
    assert dv.type == "list"
    assert _list_values(wb, dv.formula1) == expected
    # carriers outside the list may be typed in (a city's cable-TV operator); kinds may not
    assert dv.errorStyle == ("warning" if key == "carrier" else "stop")


@pytest.mark.parametrize(("section", "key", "target"), [
    ("rooms", "department", "部门"),
    ("devices", "department", "部门"),
    ("circuits", "a.site", "站点"),
    ("circuits", "z.site", "站点"),
    ("rooms", "site", "站点"),
])
def test_department_and_site_columns_offer_the_ids_of_their_sheet(
        tmp_path: Path, section: str, key: str, target: str) -> None:
    wb = load_workbook(write_survey_template(tmp_path / "survey.xlsx", "zh"))
    dv = _validations(wb[SHEETS_BY_SECTION[section].name("zh")])[column_letter(section, key)]
    assert dv.formula1.startswith(f"='{target}'!$A$2")
    assert dv.errorStyle == "warning"  # a line may end at another department's site


def test_department_option_prefills_the_department(tmp_path: Path) -> None:
    wb = load_workbook(write_survey_template(tmp_path / "survey.xlsx", "en", department="edu"))
    assert wb["Departments"]["A3"].value == "edu"
    devices = {c.key: v for c, v in zip(SHEETS_BY_SECTION["devices"].columns,
                                        (c.value for c in wb["Devices"][2]), strict=True)}
    assert devices["department"] == "edu"


def test_untouched_template_imports_as_nothing(tmp_path: Path) -> None:
    path = write_survey_template(tmp_path / "survey.xlsx", "zh")
    report = import_surveys([path], tmp_path / "inventory")
    assert report.declared == {} and report.written == ()
    assert not (tmp_path / "inventory" / "survey").exists()


def test_bad_language_or_department_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown language 'fr'"):
        write_survey_template(tmp_path / "x.xlsx", "fr")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not a valid id"):
        write_survey_template(tmp_path / "x.xlsx", "zh", department="教育局")
    assert not (tmp_path / "x.xlsx").exists()


def test_every_header_names_one_column_of_its_sheet_in_either_language() -> None:
    from exchange.survey_read import _COLUMNS, _header_key
    from exchange.survey_schema import SHEETS

    for spec in SHEETS:
        for column in spec.columns:
            for name in (column.zh, column.en, column.key, column.header("zh"), column.header("en")):
                assert _COLUMNS[spec.section][_header_key(name)] is column
