"""Secret redaction for configurations, applied before anything touches disk or a report.

Contract: ``redact_config(platform, text) -> str`` keeps every line (so interfaces
and addresses still parse) and replaces secret values with ``<redacted>``.
"""

from __future__ import annotations

import re

REDACTED = "<redacted>"

# Minimal generic rule until the per-platform rules land (issue 3).
_GENERIC = re.compile(r"(?i)\b(password|secret|community|key|cipher)(\s+(?:\d+\s+)?)(\S+)")


def redact_config(platform: str, text: str) -> str:
    """Replace secret values in a configuration; the line structure is kept."""
    return _GENERIC.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
