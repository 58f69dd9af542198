"""Root of the test tree: makes the shared test-only code (:mod:`support`) importable everywhere.

Each test folder has its own ``conftest.py`` for its fixtures; code more than one folder
needs lives in ``tests/support/`` (a package with a name no folder's module uses, so no
``from conftest import`` or same-named helper can shadow it).
"""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:  # pytest's default import mode adds it already; importlib mode does not
    sys.path.insert(0, _TESTS)
