"""The wording of inventory problems: quoted values, did-you-mean hints, credential keys.

Pure functions shared by the reader (:mod:`inventory.yaml_nodes`, :mod:`inventory.sections`),
validation (:mod:`inventory.validation`) and the reference checks
(:mod:`inventory.references`), so that one thing is always said the same way.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable

__all__ = ["CREDENTIALS_MESSAGE", "ENTRY_LABELS", "did_you_mean", "got", "looks_like_credential",
           "short"]

CREDENTIALS_MESSAGE = (
    "credentials must not be stored in the inventory: devices name a credential profile "
    "(`credentials: NAME`) resolved from NETCENSUS_<NAME>_USERNAME / _PASSWORD / _SECRET "
    "environment variables at collection time"
)

#: What one entry of each section is called in messages.
ENTRY_LABELS = {"departments": "department", "sites": "site", "rooms": "room",
                "networks": "network", "devices": "device", "circuits": "circuit",
                "websites": "website", "approvals": "approval", "waivers": "waiver"}

_LONG_CREDENTIAL_WORDS = ("password", "passwd", "passphrase", "secret", "token", "community",
                          "apikey", "privatekey")
_SHORT_CREDENTIAL_WORDS = frozenset({"key", "keys", "pass", "pwd", "psk"})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def looks_like_credential(key: str) -> bool:
    """Whether a mapping key names a secret (``snmp_community``, ``enablePassword``, ``key``).

    >>> [looks_like_credential(k) for k in ("ssh_key", "enableSecret", "monkey", "host")]
    [True, True, False, False]
    """
    lowered = key.lower()
    if any(word in lowered for word in _LONG_CREDENTIAL_WORDS):
        return True
    return any(word.lower() in _SHORT_CREDENTIAL_WORDS for word in _WORD.findall(key))


def short(value: object, limit: int = 60) -> str:
    """A value as quoted in messages, shortened."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    text = repr(value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def got(value: str) -> str:
    """The `` (got '...')`` tail of a message about a bad value."""
    return f" (got {short(value)})"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or ``""`` when none is close."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
