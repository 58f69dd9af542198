"""Untrusted text (device names, descriptions, LLDP fields) made safe to show on one line."""

from __future__ import annotations

import re

__all__ = ["one_line"]

_BREAKS = re.compile(r"[\t\r\n\v\f\u0085\u2028\u2029]+")
# C0 and C1 control characters (ESC included: an ANSI sequence must not reach a terminal).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: object) -> str:
    """``text`` as one printable line: line breaks and tabs become a space, controls go.

    >>> one_line("core\\n sw\\x1b[2J\\tA")
    'core  sw[2J A'
    """
    return _CONTROL.sub("", _BREAKS.sub(" ", str(text)))
