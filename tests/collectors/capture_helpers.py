"""Builders shared by the capture-reading tests (hostile captures, backup folders)."""

from __future__ import annotations

from inventory.model import Device


def make_device(name: str = "r1", platform: str = "cisco_ios") -> Device:
    """A declared device with a documentation address (never contacted)."""
    return Device(name=name, host="192.0.2.10", platform=platform, department="test", site="test")
