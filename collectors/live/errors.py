"""Turn what paramiko, netmiko and napalm raise into a collection status and a clear message.

netmiko wraps lower errors (``raise NetmikoTimeoutException(msg)`` inside an
``except``), so the original sits in ``__context__``: :func:`classify` walks the
whole chain. Messages name the device's address and the command, never a
credential (exceptions from these libraries carry none; we never add one).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Literal

import paramiko
from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout

from collectors.facts import CollectionStatus

Phase = Literal["connect", "command"]

#: Statuses worth another attempt after a pause: the network or the device may recover.
TRANSIENT: frozenset[str] = frozenset({"timeout", "refused", "command_failed"})


class DeviceError(Exception):
    """A device-level failure, already classified."""

    def __init__(self, status: CollectionStatus, message: str, transient: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.transient = transient

    def __str__(self) -> str:
        return f"{self.status}: {self.message}"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _fingerprint(key: paramiko.PKey) -> str:
    return key.fingerprint if hasattr(key, "fingerprint") else key.get_base64()[:16]


def classify(exc: BaseException, *, where: str, phase: Phase, command: str | None = None,
             session_closed: bool = False) -> DeviceError:
    """A :class:`DeviceError` for an exception raised while talking to ``where`` (host:port).

    ``session_closed`` tells that the SSH session was found closed after the error:
    netmiko reads a closed channel as silence and reports a read timeout.
    """
    if isinstance(exc, DeviceError):
        return exc
    if session_closed and phase == "command":
        return DeviceError("command_failed", f"{where}: session closed by the device during {command!r}",
                           transient=True)
    chain = list(_chain(exc))
    for err in chain:
        if isinstance(err, paramiko.BadHostKeyException):
            return DeviceError("host_key_mismatch",
                               f"{where}: host key changed: known_hosts has {_fingerprint(err.expected_key)}, "
                               f"the device offered {_fingerprint(err.key)}; refusing to connect")
        if isinstance(err, (paramiko.AuthenticationException, NetmikoAuthenticationException)):
            return DeviceError("auth_failed", f"{where}: authentication failed (check the credential profile)")
        if isinstance(err, paramiko.ssh_exception.NoValidConnectionsError):
            # paramiko tries every address of the host and keeps each one's error
            if any(isinstance(e, ConnectionRefusedError) for e in err.errors.values()):
                return DeviceError("refused", f"{where}: connection refused", transient=True)
            return DeviceError("timeout", f"{where}: unreachable: {_first_line(str(err))}", transient=True)
        if isinstance(err, ConnectionRefusedError):
            return DeviceError("refused", f"{where}: connection refused", transient=True)
    text = " ".join(str(err) for err in chain)
    if "not found in known_hosts" in text:
        return DeviceError("host_key_mismatch",
                           f"{where}: host key not in known_hosts; add it, or run once with "
                           "--accept-new-host-keys to trust it on first use")
    timed_out = any(isinstance(e, (socket.timeout, TimeoutError)) for e in chain)
    if "protocol banner" in text or "No existing session" in text or timed_out:
        return DeviceError("timeout", f"{where}: no SSH answer in time", transient=True)
    if phase == "connect":
        if any(isinstance(e, (ReadTimeout, ValueError)) for e in chain) or "prompt" in text.lower():
            return DeviceError("prompt_not_found",
                               f"{where}: logged in but found no prompt of the expected platform")
        if any(isinstance(e, (OSError, EOFError, paramiko.SSHException)) for e in chain):
            return DeviceError("timeout", f"{where}: SSH connection failed: {_first_line(text)}", transient=True)
    if phase == "command":
        if any(isinstance(e, ReadTimeout) for e in chain):
            return DeviceError("timeout", f"{where}: no prompt after {command!r} in time", transient=True)
        if any(isinstance(e, (OSError, EOFError, paramiko.SSHException)) for e in chain):
            return DeviceError("command_failed",
                               f"{where}: session closed by the device during {command!r}", transient=True)
    return DeviceError("error", f"{where}: {type(exc).__name__}: {_first_line(text)}")


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""
