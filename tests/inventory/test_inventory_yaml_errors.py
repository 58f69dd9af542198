"""Broken files: syntax, encoding, structure, duplicate keys, tags and aliases."""

from __future__ import annotations

from pathlib import Path

import pytest
from inventory_helpers import InventoryDir, line_of

from core.errors import InventoryError
from inventory.loader import load_inventory


def test_yaml_syntax_error_names_the_parser_line(inv: InventoryDir) -> None:
    text = """\
    sites:
      - id: s2
        name: [unclosed
        district: Xiling
    """
    inv.write("sites2.yaml", text)
    problem = inv.only_problem()
    assert (problem.file, problem.field) == ("sites2.yaml", None)
    assert problem.line in (line_of(text, "name:"), line_of(text, "district:"))
    assert problem.message.startswith("invalid YAML:")


def test_tab_indentation_is_a_syntax_error_with_its_line(inv: InventoryDir) -> None:
    inv.write("tabs.yaml", "sites:\n  - id: s2\n\tname: x\n")
    problem = inv.only_problem()
    assert (problem.file, problem.line) == ("tabs.yaml", 3)
    assert "invalid YAML" in problem.message


def test_two_documents_in_one_file_are_refused(inv: InventoryDir) -> None:
    inv.write("two.yaml", "sites: []\n---\nrooms: []\n")
    problem = inv.only_problem()
    assert (problem.file, problem.line) == ("two.yaml", 2)
    assert "single document" in problem.message


def test_control_character_is_reported_with_its_line(inv: InventoryDir) -> None:
    inv.write("ctl.yaml", "sites:\n  - id: s\x002\n")
    problem = inv.only_problem()
    assert (problem.file, problem.line) == ("ctl.yaml", 2)
    assert "not allowed" in problem.message


def test_non_utf8_file_names_the_line_of_the_first_bad_byte(inv: InventoryDir) -> None:
    inv.write("gbk.yaml", "sites:\n  - id: s2\n    name: 东湖\n".encode("gbk"))
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("gbk.yaml", 3, None)
    assert "not UTF-8" in problem.message and "save the file as UTF-8" in problem.message


def test_utf8_byte_order_mark_is_accepted(inv: InventoryDir) -> None:
    inv.write("bom.yaml", "\ufeffsites:\n  - id: s2\n    name: 东湖\n    district: Donghu\n")
    assert inv.load().sites["s2"].name == "东湖"


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not yaml")
    with pytest.raises(InventoryError) as info:
        load_inventory(tmp_path)
    [problem] = info.value.problems
    assert (problem.file, problem.line) == (str(tmp_path), None)
    assert "no YAML files" in problem.message


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InventoryError) as info:
        load_inventory(tmp_path / "nope")
    assert [str(p) for p in info.value.problems] == [f"{tmp_path / 'nope'}: no such file or directory"]


def test_single_file_is_loaded_and_named_by_its_file_name(inv: InventoryDir) -> None:
    inventory = load_inventory(inv.root / "base.yaml")
    assert list(inventory.devices) == ["hq-sw1", "branch-sw1"]
    assert str(inventory.sources[("devices", "hq-sw1")]) == "base.yaml:" + str(
        line_of((inv.root / "base.yaml").read_text(), "name: hq-sw1"))


def test_hidden_files_and_other_suffixes_are_ignored(inv: InventoryDir) -> None:
    inv.write(".backup.yaml", "garbage: [")
    inv.write(".git/config.yaml", "garbage: [")
    inv.write("README.md", "garbage: [")
    assert len(inv.load().devices) == 2


def test_subfolders_and_yml_files_are_read_in_sorted_order(inv: InventoryDir) -> None:
    inv.write("z/sites.yml", "sites:\n  - {id: z1, name: Z, district: D}\n")
    inv.write("a/sites.yaml", "sites:\n  - {id: a1, name: A, district: D}\n")
    inventory = inv.load()
    assert list(inventory.sites) == ["a1", "hq", "branch", "z1"]
    assert str(inventory.sources[("sites", "z1")]) == "z/sites.yml:2"


def test_empty_file_and_empty_section_declare_nothing(inv: InventoryDir) -> None:
    inv.write("empty.yaml", "")
    inv.write("stub.yaml", "circuits:\nwebsites:\n")
    inventory = inv.load()
    assert inventory.circuits == {} and inventory.websites == {}


def test_root_that_is_not_a_mapping(inv: InventoryDir) -> None:
    inv.write("list.yaml", "- id: s2\n  name: x\n")
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("list.yaml", 1, None)
    assert "must be a mapping of sections" in problem.message and "not a list" in problem.message


def test_unknown_section_suggests_the_closest_one(inv: InventoryDir) -> None:
    text = "sites: []\ndevice:\n  - name: x\n"
    inv.write("typo.yaml", text)
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("typo.yaml", 2, "device")
    assert "unknown section 'device' (did you mean 'devices'?)" in problem.message


def test_extension_keys_are_ignored(inv: InventoryDir) -> None:
    inv.write("ext.yaml", "x-notes: {anything: [1, 2]}\nsites: []\n")
    assert len(inv.load().sites) == 2


def test_section_that_is_not_a_list(inv: InventoryDir) -> None:
    text = """\
    sites:
      id: s2
      name: x
    """
    inv.write("map.yaml", text)
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("map.yaml", 2, "sites")
    assert "must be a list of entries" in problem.message and "not a mapping" in problem.message


def test_item_that_is_not_a_mapping(inv: InventoryDir) -> None:
    text = """\
    sites:
      - {id: s2, name: x, district: D}
      - s3
      -
    """
    inv.write("items.yaml", text)
    first, second = inv.problems()
    assert (first.file, first.line, first.field) == ("items.yaml", 3, "sites[1]")
    assert "each site must be a mapping" in first.message and "'s3'" in first.message
    assert (second.line, second.field) == (4, "sites[2]")
    assert "an empty value" in second.message


def test_duplicate_key_in_one_mapping_is_detected(inv: InventoryDir) -> None:
    text = """\
    sites:
      - id: s2
        name: First
        district: Xiling
        name: Second
    """
    inv.write("dup.yaml", text)
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("dup.yaml", 5, "sites[0].name")
    assert "duplicate key 'name' (also at line 3)" in problem.message


def test_duplicate_key_in_a_nested_mapping_is_detected(inv: InventoryDir) -> None:
    text = """\
    circuits:
      - id: CT-1
        carrier: China Telecom
        kind: mstp
        department: city
        a: {site: hq, site: branch}
        z: {site: branch}
        bandwidth_mbps: 100
        cost_cny: 1000
    """
    inv.write("dup.yaml", text)
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (6, "circuits[0].a.site")
    assert "duplicate key 'site'" in problem.message


def test_same_section_twice_in_one_file(inv: InventoryDir) -> None:
    inv.write("twice.yaml", "sites: []\nrooms: []\nsites: []\n")
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("twice.yaml", 3, "sites")
    assert "duplicate section 'sites'" in problem.message


def test_unsupported_tag_is_refused(inv: InventoryDir) -> None:
    inv.write("tag.yaml", "sites:\n  - id: s2\n    name: !!python/name:os.system x\n    district: D\n")
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (3, "sites[0].name")
    assert "unsupported YAML tag" in problem.message


def test_merge_keys_and_anchors_work_and_explicit_keys_win(inv: InventoryDir) -> None:
    inv.write("merge.yaml", """\
    x-defaults: &edu
      department: edu
      platform: huawei
      site: branch
    devices:
      - <<: *edu
        name: edu-sw1
        host: 192.0.2.20
      - <<: *edu
        name: edu-sw2
        host: 192.0.2.21
        platform: cisco_ios
    """)
    devices = inv.load().devices
    assert (devices["edu-sw1"].department, devices["edu-sw1"].platform) == ("edu", "huawei")
    assert devices["edu-sw2"].platform == "cisco_ios"


def test_alias_bomb_is_refused_quickly(inv: InventoryDir) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    inv.write("bomb.yaml", "x-bomb:\n" + "\n".join("  " + lvl for lvl in levels)
              + "\nsites:\n  - {id: s2, name: *a8, district: D}\n")
    problem = inv.only_problem()
    # Located at the anchored list that is being re-expanded when the limit is hit.
    assert (problem.file, problem.line, problem.field) == ("bomb.yaml", 2, None)
    assert problem.message == "YAML aliases expand to too many values"


def test_self_referencing_alias_is_refused(inv: InventoryDir) -> None:
    inv.write("loop.yaml", "sites:\n  - &s {id: s2, name: x, district: D, more: *s}\n")
    problem = inv.only_problem()
    assert (problem.file, problem.line, problem.field) == ("loop.yaml", 2, None)
    assert "alias refers to itself" in problem.message


def test_yaml_dates_that_do_not_exist_are_reported_not_crashed(inv: InventoryDir) -> None:
    inv.write("date.yaml", "approvals:\n  - id: A-1\n    title: t\n    date: 2023-02-30\n")
    problem = inv.only_problem()
    assert (problem.line, problem.field) == (4, "approvals[0].date")
    assert "must be a date YYYY-MM-DD (got '2023-02-30')" in problem.message
