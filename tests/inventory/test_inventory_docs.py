"""docs/inventory.md stays true: its field tables match the model, its example is the real one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from inventory.model import SECTIONS
from inventory.yaml_nodes import MODEL_FIELDS as _MODEL_FIELDS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "inventory.md").read_text(encoding="utf-8")
EXAMPLE = ROOT / "examples" / "inventory"

MODELS = {model.__name__: model for model in _MODEL_FIELDS}


def _table_after(marker: str) -> list[list[str]]:
    """The rows (cells stripped) of the Markdown table that follows ``marker``."""
    rows = []
    for line in DOC[DOC.index(marker) + len(marker):].lstrip("\n").splitlines():
        if not line.startswith("|"):
            break
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        rows.append([c.strip() for c in cells])
    return rows[2:]  # skip the header and the --- line


def _documented_default(cell: str) -> object:
    if cell == "—":
        return None
    assert cell.startswith("`") and cell.endswith("`"), f"default {cell!r} is not `yaml`"
    return yaml.safe_load(cell.strip("`"))


def _model_default(model: type[BaseModel], name: str) -> object:
    value = model.model_fields[name].get_default(call_default_factory=True)
    return list(value) if isinstance(value, tuple) else value


def test_every_model_the_yaml_reaches_has_a_table() -> None:
    documented = set(re.findall(r"<!-- model: (\w+) -->", DOC))
    assert documented == set(MODELS)
    assert {model.__name__ for model, _ in SECTIONS.values()} <= documented


@pytest.mark.parametrize("name", sorted(MODELS))
def test_table_lists_every_field_with_its_default(name: str) -> None:
    model = MODELS[name]
    rows = _table_after(f"<!-- model: {name} -->")
    fields = [row[0].strip("`") for row in rows]
    assert fields == list(model.model_fields), "document the fields in the model's order"
    for row in rows:
        field_name, default = row[0].strip("`"), row[3]
        info = model.model_fields[field_name]
        if info.is_required():
            assert default == "required", field_name
        elif isinstance(info.get_default(call_default_factory=True), BaseModel):
            assert default == "(defaults below)", field_name
        else:
            assert _documented_default(default) == _model_default(model, field_name), field_name
        assert row[4], f"{name}.{field_name} has no meaning"


def _example_files() -> list[str]:
    return sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*.yaml"))


def test_doc_shows_every_example_file_verbatim() -> None:
    # A block is introduced by a caption paragraph starting with the file's path.
    block = r"^`examples/inventory/([\w/.-]+\.yaml)`[^\n]*(?:\n[^\n]+)*\n\n```yaml\n(.*?)^```"
    shown = dict(re.findall(block, DOC, re.S | re.M))
    assert sorted(shown) == _example_files()
    for name, text in shown.items():
        assert text == (EXAMPLE / name).read_text(encoding="utf-8"), f"{name} differs from the doc"


def test_credentials_section_names_the_variables_the_collector_reads() -> None:
    from collectors.credentials import env_names

    for variable in env_names("egov-core") + env_names("default")[:1]:
        assert variable in DOC
