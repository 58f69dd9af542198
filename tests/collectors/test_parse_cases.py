"""Case folders, napalm style: saved outputs in, the expected DeviceFacts out.

``cases/<platform>/<case>/`` is a capture folder of one device (files named by
``core.platforms.command_filename``, exactly as a survey saves them) plus
``expected.json``: the DeviceFacts the offline collector and the parser must
produce from it. Adding a case is adding a folder; every case runs through
``OfflineCollector`` + ``parse_outputs``, the path of an offline audit.

After a deliberate change of output, regenerate with
``NETCENSUS_UPDATE_CASES=1 pytest tests/collectors/test_parse_cases.py`` and
review the diff of every ``expected.json`` before committing it.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from collectors.capture import output_path
from collectors.facts import DeviceFacts
from collectors.offline import OfflineCollector
from collectors.parse import parse_outputs
from collectors.redact import redact_config
from core.platforms import PLATFORMS
from inventory.model import Device

CASES = Path(__file__).resolve().parent / "cases"
CASE_DIRS = sorted(p for p in CASES.glob("*/*") if p.is_dir())


#: Stands for "the configuration file passed through collectors.redact.redact_config".
#: The redaction rules belong to redact.py and its tests; here we check that parsing
#: stores exactly their output, without freezing what it looks like.
REDACTED_CONFIG = "<the capture's configuration, redacted by collectors.redact>"


def as_json(facts: DeviceFacts, captures: Path) -> dict[str, Any]:
    """The facts as plain JSON, with the machine-specific capture path replaced."""
    data = json.loads(json.dumps(dataclasses.asdict(facts)))
    platform = PLATFORMS[facts.platform]
    for cmd in platform.command("config"):
        path = output_path(captures, facts.device, cmd.command)
        if path.is_file() and data["config"] == redact_config(platform.name, path.read_text(encoding="utf-8")):
            data["config"] = REDACTED_CONFIG
    for problem in data["problems"]:
        problem["message"] = problem["message"].replace(str(captures), "<captures>")
    if data["error"]:
        data["error"] = data["error"].replace(str(captures), "<captures>")
    return data


def test_every_platform_has_case_folders() -> None:
    platforms = {p.parent.name for p in CASE_DIRS}
    assert {"cisco_ios", "huawei", "hp_comware"} <= platforms


@pytest.mark.parametrize("case", CASE_DIRS, ids=[f"{p.parent.name}/{p.name}" for p in CASE_DIRS])
def test_case_folder_parses_to_expected_facts(case: Path) -> None:
    captures, platform = case.parent, case.parent.name
    device = Device(name=case.name, host="192.0.2.10", platform=platform,
                    department="test", site="test")
    facts = parse_outputs(OfflineCollector(captures).collect(device))
    got = as_json(facts, captures)

    expected_file = case / "expected.json"
    if os.environ.get("NETCENSUS_UPDATE_CASES"):
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert expected_file.is_file(), f"{expected_file} missing (see module docstring)"
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))
