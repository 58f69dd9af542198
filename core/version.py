"""The product's version, read by the CLI (``--version``) and the JSON report (``tool.version``).

Kept equal to ``version`` in pyproject.toml: the run manifest reads that one, installed
(``importlib.metadata``).
"""

__version__ = "0.1.0"
