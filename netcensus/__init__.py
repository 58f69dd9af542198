"""netcensus: citywide network and leased-line integration inventory auditor.

This package holds the CLI, the audit pipeline, the sample-city generator and the
snapshot store. The domain lives in the sibling packages ``inventory``,
``collectors``, ``analysis`` and ``reports``.
"""

from core.version import __version__

__all__ = ["__version__"]
