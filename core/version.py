"""The product's version, read by the CLI, the run manifest and the JSON report."""

__version__ = "0.1.0"
