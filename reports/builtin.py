"""Import every bundled renderer module so it registers itself."""

import importlib
import pkgutil

import reports

_SKIP = {"builtin", "registry"}
for _module in sorted(m.name for m in pkgutil.iter_modules(reports.__path__)):
    if _module not in _SKIP:
        importlib.import_module(f"reports.{_module}")
