"""Large files are composed entry by entry (inventory.yaml_nodes._Sections): the same inventory,
the same problems at the same lines as small files read whole.

Every test of the modules imported below runs again here with the threshold at zero, so
that each file, however small, goes the way a file of half a million devices goes.
"""

from __future__ import annotations

import pytest
from inventory_helpers import InventoryDir
from test_inventory_fuzz import *  # noqa: F403 - its tests run again here
from test_inventory_hostile import *  # noqa: F403 - its tests run again here
from test_inventory_many_mistakes import *  # noqa: F403 - its tests run again here
from test_inventory_references import *  # noqa: F403 - its tests run again here
from test_inventory_validation import *  # noqa: F403 - its tests run again here
from test_inventory_yaml_errors import *  # noqa: F403 - its tests run again here

import inventory.yaml_nodes as yaml_nodes


@pytest.fixture(autouse=True)
def every_file_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_nodes, "SLIM_FROM_CHARS", 0)


def test_a_late_syntax_error_leaves_nothing_of_its_file(inv: InventoryDir) -> None:
    """Entries read before the error are dropped with their problems: the file declares
    nothing, as when the whole file is composed before it is read."""
    inv.write("sites2.yaml", """\
    sites:
      - {id: s2, name: Two, district: D}
      - {id: s3, name: Three, district: D, colour: red}
    rooms:
      - id: r9
        site: [unclosed
    """)
    problem = inv.only_problem()
    assert problem.file == "sites2.yaml" and problem.message.startswith("invalid YAML")


def test_a_second_document_after_the_entries_is_refused(inv: InventoryDir) -> None:
    inv.write("two.yaml", "sites:\n  - {id: s2, name: Two, district: D}\n---\nrooms: []\n")
    problem = inv.only_problem()
    assert (problem.file, problem.line) == ("two.yaml", 3) and "single document" in problem.message


def test_entries_of_an_unknown_section_are_skipped_and_the_next_section_read(inv: InventoryDir) -> None:
    inv.write("more.yaml", "sitez:\n  - {id: s2}\n  - {id: s3}\nsites:\n  - {id: s4, name: Four, district: D}\n")
    problem = inv.only_problem()
    assert problem.field == "sitez" and "did you mean 'sites'" in problem.message
    inv.write("more.yaml", "sites:\n  - {id: s4, name: Four, district: D}\n")
    assert inv.load().sources[("sites", "s4")].line == 2
