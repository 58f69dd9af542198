"""The same arguments give the same files, byte for byte; bad sizes give a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEED

from netcensus.sample import SampleCity, generate


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_files(city: SampleCity, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", devices=80, seed=SEED)
    first, second = _tree(city.root), _tree(again.root)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_another_seed_gives_another_city_with_the_same_planted_codes(city: SampleCity, planted: dict,
                                                                     tmp_path: Path) -> None:
    other = generate(tmp_path / "other", devices=80, seed=SEED + 1)
    assert _tree(city.root) != _tree(other.root)
    other_planted = json.loads(other.planted_path.read_text(encoding="utf-8"))
    assert {f["code"] for f in other_planted["findings"]} == {f["code"] for f in planted["findings"]}


def test_generating_again_into_a_folder_replaces_the_city_and_keeps_other_files(city: SampleCity,
                                                                                tmp_path: Path) -> None:
    folder = tmp_path / "reused"
    generate(folder, devices=80, seed=SEED + 5)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = generate(folder, devices=80, seed=SEED)
    assert result.root == folder
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    (folder / "notes.txt").unlink()
    assert _tree(folder) == _tree(city.root)  # no device folder of the first city is left over


def test_returned_paths_point_at_what_was_written(city: SampleCity) -> None:
    assert city.inventory_dir == city.root / "inventory" and city.inventory_dir.is_dir()
    assert city.captures_dir == city.root / "captures" and city.captures_dir.is_dir()
    assert city.planted_path == city.root / "planted.json" and city.planted_path.is_file()


@pytest.mark.parametrize("devices", [0, 10, 60])
def test_too_few_devices_is_a_clear_error(devices: int, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"needs at least \d+ devices .*\(got " + str(devices) + r"\)"):
        generate(tmp_path / "small", devices=devices)
    assert not (tmp_path / "small").exists()  # nothing half-written


def test_same_files_from_another_process_with_another_hash_seed(city: SampleCity, tmp_path: Path) -> None:
    """Set and dict orders differ between processes; the city must not depend on them."""
    import os
    import subprocess
    import sys

    code = "import sys; from netcensus.sample import generate; generate(sys.argv[1], devices=80, seed=int(sys.argv[2]))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "other"), str(SEED)], check=True, env=env,
                   cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert _tree(tmp_path / "other") == _tree(city.root)
