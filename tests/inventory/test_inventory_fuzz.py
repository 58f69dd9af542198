"""Whatever a file holds, the loader answers with an inventory or an InventoryError."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inventory_helpers import BASE

from core.errors import InventoryError
from inventory.loader import load_inventory
from inventory.model import SECTIONS, Policy

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIELD_NAMES = sorted({name for model, _ in SECTIONS.values() for name in model.model_fields}
                     | set(Policy.model_fields) | {"site", "device", "interface", "password", "<<"})
KNOWN_IDS = ["city", "edu", "hq", "branch", "hq-room", "lan", "hq-sw1", "huawei", "QXB-2022-01",
             "198.51.100.0/24", "192.0.2.1/24", "LIN001:x"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(allow_nan=True),
    st.dates(), st.text(max_size=12), st.sampled_from(KNOWN_IDS),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
entries = st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=8)
documents = st.dictionaries(
    st.sampled_from([*SECTIONS, "policy", "devcies", "x-anchors"]),
    st.lists(entries | values, max_size=3) | values,
    max_size=4,
)


def _load_is_clean(files: dict[str, bytes]) -> None:
    """Load ``files`` next to a valid base: success, or problems that all name a place."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "base.yaml").write_text(BASE, encoding="utf-8")
        for name, data in files.items():
            (root / name).write_bytes(data)
        try:
            load_inventory(root)
        except InventoryError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.file in {"base.yaml", *files}
                assert problem.line is None or problem.line >= 1
                assert str(problem).startswith(problem.file)


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _load_is_clean({"random.yaml": data})


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`,?\n\t 0123.~<=")) | st.characters(),
               max_size=200))
def test_random_yaml_like_text(text: str) -> None:
    _load_is_clean({"random.yaml": text.encode("utf-8", "surrogatepass")})


@settings(FUZZ, max_examples=60)  # each example is two files through every stage
@given(documents, documents)
def test_random_sections_with_real_field_names(first: dict, second: dict) -> None:
    _load_is_clean({
        "first.yaml": yaml.safe_dump(first, allow_unicode=True).encode("utf-8"),
        "second.yml": yaml.safe_dump(second, allow_unicode=True).encode("utf-8"),
    })
