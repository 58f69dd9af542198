"""Name normalisation so both ends of a link agree.

Placeholder with the contract; the full abbreviation tables live here.
"""
from __future__ import annotations


def device_name(name: str) -> str:
    """The key we match device names by: lower case, first DNS label.

    >>> device_name("Core1.City.gov.cn")
    'core1'
    """
    return name.strip().split(".", 1)[0].lower() if name else ""


def interface_name(name: str) -> str:
    """The canonical long form of an interface name (``Gi0/1`` -> ``GigabitEthernet0/1``).

    Placeholder: returns the name stripped; the abbreviation tables come with the parsers.
    """
    return name.strip()
