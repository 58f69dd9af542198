"""Importing filled survey workbooks: validation, merging, contradictions, idempotence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from exchange_helpers import SurveyBook, column_letter, small_department

from core.errors import InputError
from exchange import import_surveys
from inventory.loader import load_inventory


def _problems(paths: list[Path], out: Path) -> list:
    with pytest.raises(InputError) as caught:
        import_surveys(paths, out)
    return list(caught.value.problems)


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_ten_mistakes_are_all_reported_with_file_sheet_row_and_column_and_nothing_is_written(
        tmp_path: Path) -> None:
    book = SurveyBook(tmp_path / "devices.xlsx", "zh")
    small_department(book)
    expected = {}

    def mistake(section: str, key: str, text: str, **row: object) -> None:
        number = book.add(section, **row)
        sheet = {"devices": "设备", "rooms": "机房", "circuits": "专线", "networks": "网络", "sites": "站点",
                 "websites": "网站"}[section]
        expected[(number, f"{sheet}!{column_letter(section, key)} ({key})")] = text

    mistake("devices", "platform", "unknown platform 'ios'",
            name="edu-sw2", host="198.51.100.66", platform="ios", department="edu", room="edu-room")
    mistake("devices", "host", "without user, password or scheme",
            name="edu-sw3", host="admin@198.51.100.67", platform="huawei", department="edu", room="edu-room")
    mistake("rooms", "racks_used", "exceeds racks_total",
            id="edu-room2", site="edu-hq", department="edu", racks_total=4, racks_used=6, power_kw=1,
            yearly_cost_cny=1000)
    mistake("rooms", "power_kw", "must be a number (got '很多')",
            id="edu-room3", site="edu-hq", department="edu", racks_total=4, racks_used=1, power_kw="很多",
            yearly_cost_cny=1000)
    mistake("circuits", "kind", "unknown kind '卫星'",
            id="CT-0002", carrier="中国电信", kind="卫星", department="edu", a__site="edu-hq", z__site="dc",
            bandwidth_mbps=10, cost_cny=100)
    mistake("circuits", "contract_end", "must be a date YYYY-MM-DD (got '2024-02-30')",
            id="CT-0003", carrier="中国电信", kind="MSTP", department="edu", a__site="edu-hq", z__site="dc",
            bandwidth_mbps=10, cost_cny=100, contract_end="2024-02-30")
    mistake("circuits", "z.site", "unknown site 'nowhere'",
            id="CT-0004", carrier="中国联通", kind="裸纤", department="edu", a__site="edu-hq", z__site="nowhere",
            bandwidth_mbps=1000, cost_cny=100)
    mistake("networks", "prefixes", "has host bits set: did you mean 10.0.0.0/24?",
            id="edu-wifi", name="Wi-Fi", department="edu", kind="局域网", prefixes="10.0.0.1/24")
    mistake("sites", "district", "required field is missing", id="edu-annex", name="Annex")
    mistake("websites", "department", "unknown department 'nobody'", domain="edu.example", department="nobody")
    book.save()
    out = tmp_path / "inventory"
    out.mkdir()
    (out / "organisation.yaml").write_text("departments:\n  - {id: city, name: City Office}\n", encoding="utf-8")
    before = _tree(out)

    problems = _problems([book.path], out)

    assert len(problems) == 10, "\n".join(map(str, problems))
    found = {(p.line, p.field): p for p in problems}
    assert set(found) == set(expected)
    for where, text in expected.items():
        assert found[where].file == str(book.path)
        assert text in found[where].message
    assert _tree(out) == before  # nothing written
    platform = found[next(w for w in expected if "(platform)" in w[1])]
    assert str(platform).startswith(f"{book.path}:{platform.line}: 设备!C (platform): unknown platform 'ios'")


def test_a_workbook_contradicting_another_is_reported_never_overwritten(tmp_path: Path) -> None:
    first = SurveyBook(tmp_path / "edu.xlsx")
    small_department(first)
    first.save()
    second = SurveyBook(tmp_path / "health.xlsx")
    second.add("departments", id="health", name="Health Commission")
    second.add("sites", id="dc", name="City Data Centre", district="Xiling", critical="yes")
    second.add("sites", id="edu-hq", name="Education Building", district="Xiling")
    row = second.add("circuits", id="CT-0001", carrier="China Telecom", kind="MSTP", department="edu",
                     a__site="edu-hq", z__site="dc", bandwidth_mbps=200, cost_cny=3000)
    second.save()
    out = tmp_path / "inventory"

    problems = _problems([first.path, second.path], out)

    bandwidth = [p for p in problems if "bandwidth_mbps" in (p.field or "")]
    assert len(bandwidth) == 1
    assert bandwidth[0].file == str(second.path) and bandwidth[0].line == row
    assert bandwidth[0].field == f"Leased lines!{column_letter('circuits', 'bandwidth_mbps')} (bandwidth_mbps)"
    assert "circuit 'CT-0001' is declared differently in" in bandwidth[0].message
    assert f"{first.path}, sheet Leased lines" in bandwidth[0].message
    assert "bandwidth_mbps is 100 there, 200 here" in bandwidth[0].message
    # the device end that the first workbook gives and the second leaves out differs too
    assert any("a.device" in (p.field or "") for p in problems)
    assert not out.exists()


def test_identical_declarations_in_several_workbooks_are_kept_once(tmp_path: Path) -> None:
    first = SurveyBook(tmp_path / "edu.xlsx")
    small_department(first)
    first.save()
    second = SurveyBook(tmp_path / "health.xlsx", "zh")
    second.add("departments", id="health", name="Health Commission", local_name="卫健委", kind="市直部门")
    second.add("sites", id="dc", name="City Data Centre", district="Xiling", critical="是")  # same site
    second.add("sites", id="health-hq", name="Health Building", district="Donghu")
    second.add("circuits", id="CU-0009", carrier="中国联通", kind="MPLS VPN", department="health",
               a__site="health-hq", z__site="dc", bandwidth_mbps="1,000", cost_cny=8000, billing="按年",
               contract_start="2021/3/15")
    second.save()
    out = tmp_path / "inventory"

    report = import_surveys([first.path, second.path], out)

    assert report.merged == 1
    assert sorted(p.name for p in report.written) == ["edu.yaml", "health.yaml"]
    inventory = load_inventory(out)
    assert set(inventory.sites) == {"edu-hq", "dc", "health-hq"}
    assert inventory.sources[("sites", "dc")].file == "survey/edu.yaml"  # the first declaration keeps it
    line = inventory.circuits["CU-0009"]
    assert (line.carrier, line.kind, line.bandwidth_mbps, line.billing) == ("China Unicom", "mpls_vpn", 1000, "yearly")
    assert line.contract_start == dt.date(2021, 3, 15)
    assert inventory.sites["dc"].critical is True
    assert inventory.devices["edu-sw1"].networks == ("edu-lan",)


def test_importing_the_same_workbook_twice_changes_nothing(tmp_path: Path) -> None:
    book = SurveyBook(tmp_path / "edu.xlsx")
    small_department(book)
    book.save()
    out = tmp_path / "inventory"
    first = import_surveys([book.path, book.path], out)  # given twice in one run: read once
    assert first.merged == 0 and len(first.written) == 1
    snapshot = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}

    again = import_surveys([book.path], out)

    assert again.written == () and again.unchanged == (out / "survey" / "edu.yaml",)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()} == snapshot


def test_reimporting_a_corrected_workbook_replaces_its_own_file(tmp_path: Path) -> None:
    book = SurveyBook(tmp_path / "edu.xlsx")
    small_department(book)
    book.save()
    out = tmp_path / "inventory"
    import_surveys([book.path], out)
    circuits = book.sheet("circuits")
    circuits[f"{column_letter('circuits', 'bandwidth_mbps')}3"] = 200
    book.save()

    report = import_surveys([book.path], out)

    assert report.written == (out / "survey" / "edu.yaml",)
    assert load_inventory(out).circuits["CT-0001"].bandwidth_mbps == 200


def test_a_workbook_contradicting_the_inventory_directory_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "inventory"
    out.mkdir()
    (out / "sites.yaml").write_text("sites:\n  - id: dc\n    name: City Data Centre\n    district: Donghu\n",
                                    encoding="utf-8")
    book = SurveyBook(tmp_path / "edu.xlsx")
    small_department(book)
    book.save()

    problems = _problems([book.path], out)

    assert len(problems) == 2  # the district, and "critical" which the file leaves false
    district = next(p for p in problems if "(district)" in p.field)
    assert f"declared differently in {out / 'sites.yaml'}:2" in district.message
    assert "district is 'Donghu' there, 'Xiling' here" in district.message
    assert not (out / "survey").exists()


def test_workbooks_merge_into_an_inventory_whose_policy_refers_to_them(tmp_path: Path) -> None:
    out = tmp_path / "inventory"
    out.mkdir()
    (out / "policy.yaml").write_text("policy:\n  central_rooms: [edu-room]\n  approval_required_from: 2022-01-01\n",
                                     encoding="utf-8")
    book = SurveyBook(tmp_path / "edu.xlsx")
    small_department(book)
    book.save()

    import_surveys([book.path], out)

    assert load_inventory(out).policy.central_rooms == ("edu-room",)


def test_unknown_and_missing_columns_are_reported_at_the_header(tmp_path: Path) -> None:
    book = SurveyBook(tmp_path / "edu.xlsx")
    small_department(book)
    ws = book.sheet("devices")
    ws["C1"] = "OS"  # the platform column renamed
    book.save()

    problems = _problems([book.path], tmp_path / "inventory")

    assert [str(p) for p in problems] == [
        f"{book.path}:1: Devices (platform): required column '平台 *' / 'Platform *' is missing",
        f"{book.path}:1: Devices!C: unknown column 'OS'; this sheet's columns: Device name *, "
        "Management address *, Platform *, Department *, Room, Site, Role, Networks, Credential profile, "
        "Transport, SSH port, Serial number",
    ]  # and no "platform is missing" on each row: the column's absence is said once


@pytest.mark.parametrize(("content", "message"), [
    (b"not a workbook", "not an Excel workbook (.xlsx) that can be read"),
    (None, "no such file"),
])
def test_unreadable_workbooks_are_named(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "edu.xlsx"
    if content is not None:
        path.write_bytes(content)
    problems = _problems([path], tmp_path / "inventory")
    assert len(problems) == 1 and problems[0].file == str(path) and message in problems[0].message


def test_cells_read_the_way_people_type_them(tmp_path: Path) -> None:
    book = SurveyBook(tmp_path / "edu.xlsx", "zh")
    small_department(book)
    book.add("sites", id="school", name="School", district="Xiling", latitude="30.61", longitude=114.2,
             critical="否")
    book.add("circuits", id=20231234, carrier="Xiyue Cable TV", kind="互联网专线", department="edu",
             a__site="school", z__site="dc", bandwidth_mbps=50, cost_cny="¥1,200", distance_km=3,
             contract_start=dt.datetime(2023, 1, 1), contract_end="2025年12月31日", notice_days=30)
    book.add("networks", id="edu-office", name="Office", department="edu", kind="专网", isolation="逻辑隔离",
             prefixes="198.51.100.96/28，198.51.100.112/28")
    book.save()

    import_surveys([book.path], tmp_path / "inventory")

    inventory = load_inventory(tmp_path / "inventory")
    line = inventory.circuits["20231234"]  # an all-digit circuit id stays text
    assert line.carrier == "Xiyue Cable TV" and line.kind == "internet" and line.cost_cny == 1200
    assert (line.contract_start, line.contract_end) == (dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    assert inventory.sites["school"].coordinates == (30.61, 114.2)
    network = inventory.networks["edu-office"]
    assert (network.kind, network.isolation) == ("private", "logical")
    assert network.prefixes == ("198.51.100.96/28", "198.51.100.112/28")


def test_coordinates_need_both_halves(tmp_path: Path) -> None:
    book = SurveyBook(tmp_path / "edu.xlsx")
    small_department(book)
    row = book.add("sites", id="school", name="School", district="Xiling", latitude=30.6)
    book.save()
    problems = _problems([book.path], tmp_path / "inventory")
    assert [(p.line, p.field) for p in problems] == [(row, "Sites!G (longitude)")]


def test_two_workbooks_with_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    paths = []
    for folder in ("a", "b"):
        book = SurveyBook(tmp_path / folder / "edu.xlsx")
        small_department(book)
        paths.append(book.save())
    problems = _problems(paths, tmp_path / "inventory")
    assert [p.message for p in problems] == [f"has the same name as {paths[0]}: both would be imported as "
                                             "survey/edu.yaml; rename one of them"]


def test_sheets_that_are_not_part_of_a_survey_are_ignored_and_listed(tmp_path: Path) -> None:
    book = SurveyBook(tmp_path / "edu.xlsx")
    small_department(book)
    book.wb.create_sheet("Notes")["A1"] = "call the carrier about CT-0001"
    book.save()
    report = import_surveys([book.path], tmp_path / "inventory")
    assert report.ignored_sheets == (f"{book.path}: Notes",)
    assert report.declared["circuits"] == 1


def test_an_old_xls_workbook_is_asked_for_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "edu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")  # the start of an OLE2 (Excel 97-2003) file
    (problem,) = _problems([path], tmp_path / "inventory")
    assert problem.message == "a .xls file: save it as an Excel workbook (.xlsx) and import that"
