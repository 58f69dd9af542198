"""What every live transport shares: settings, the connect step, the retry loop, and the RawOutputs it returns."""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from collectors.base import RawOutputs
from collectors.capture import clean_output
from collectors.credentials import Credentials
from collectors.facts import CommandProblem
from collectors.hostkeys import HostKeyPolicy, server_key
from collectors.live.errors import DeviceError, classify
from collectors.parsers.structured import readable_json
from collectors.redact import redact_config
from core.platforms import JSON_TEMPLATE, PLATFORMS, Command, Platform
from inventory.model import Device


@dataclass
class SessionSettings:
    """Everything a transport needs besides the device; shared by all workers of a run."""

    credentials: Mapping[str, Credentials]
    host_keys: HostKeyPolicy = field(default_factory=HostKeyPolicy)
    connect_timeout_s: float = 10.0  # TCP connect, SSH banner and authentication, each
    command_timeout_s: float = 60.0  # netmiko read_timeout: the longest one command may take
    retries: int = 2  # further attempts after a transient failure (never after bad credentials)
    backoff_s: float = 2.0  # pause before the first retry; doubles each time
    stop: threading.Event = field(default_factory=threading.Event)  # set on Ctrl-C
    #: SSH sessions open at once in an event-loop transport (asyncssh): the run's workers
    sessions: int = 20
    #: device -> attempts made (written by workers, one key each; read for the manifest)
    attempts: dict[str, int] = field(default_factory=dict)

    def where(self, device: Device) -> str:
        """How messages name a device's endpoint."""
        return f"{device.name} ({device.host}:{device.port})"

    def record_host_key(self, device: Device, connection: Any) -> None:
        """Remember the host key the device presented on an open netmiko ``connection``
        (napalm's drivers hold theirs as ``driver.device``), as the host key policy says."""
        key = server_key(connection)
        if key is not None:
            self.host_keys.record(device.host, device.port, key)


@dataclass
class Attempt:
    """What one attempt collected before it ended (outputs survive a dropped session)."""

    outputs: dict[str, str] = field(default_factory=dict)
    problems: list[CommandProblem] = field(default_factory=list)


Session = Callable[[Device, Platform, Credentials, Attempt], None]
T = TypeVar("T")


def connecting(step: Callable[[], T], where: str) -> T:
    """What one step of opening a session returns (log in, find the prompt); whatever it
    raises comes back as a classified :class:`DeviceError` of the connect phase."""
    try:
        return step()
    except Exception as exc:  # classified: one device never stops a run
        raise classify(exc, where=where, phase="connect") from None


class SessionCollector(ABC):
    """A live transport as a :class:`collectors.base.Collector`: one session per attempt,
    retried and turned into :class:`RawOutputs` by :func:`collect_with_retries`.

    A transport implements only :meth:`_session` (open, read into the attempt, close).
    """

    def __init__(self, settings: SessionSettings):
        self.settings = settings

    def collect(self, device: Device) -> RawOutputs:
        """Everything the transport reads from the device, redacted; failures come back as data."""
        return collect_with_retries(device, self.settings, self._session)

    @abstractmethod
    def _session(self, device: Device, platform: Platform, creds: Credentials, attempt: Attempt) -> None:
        """One attempt: open a session, read into ``attempt``, close; raise :class:`DeviceError`."""


def collect_with_retries(device: Device, settings: SessionSettings, session: Session) -> RawOutputs:
    """Run ``session`` with retries and backoff; every outcome becomes a :class:`RawOutputs`.

    Transient failures (timeout, refused, a dropped session) are retried up to
    ``settings.retries`` times; authentication, host key and prompt failures
    are final at once. A Ctrl-C (``settings.stop``) ends the waiting early.
    """
    start = time.perf_counter()
    platform = PLATFORMS.get(device.platform)
    if platform is None:
        return RawOutputs(device.name, device.platform, status="error",
                          error=f"unknown platform {device.platform!r}")
    creds = settings.credentials.get(device.credentials)
    if creds is None:
        return RawOutputs(device.name, device.platform, status="auth_failed",
                          error=f"no credentials for profile {device.credentials!r}")
    attempt = Attempt()
    tries = 0
    while True:
        tries += 1
        settings.attempts[device.name] = tries
        attempt = Attempt()
        try:
            if settings.stop.is_set():
                raise DeviceError("error", "interrupted before connecting")
            session(device, platform, creds, attempt)
        except DeviceError as err:
            retry = err.transient and tries <= settings.retries and not settings.stop.is_set()
            if retry and not settings.stop.wait(settings.backoff_s * 2 ** (tries - 1)):
                continue
            return _result(device, attempt, start, tries, status=err.status, error=err.message)
        return _result(device, attempt, start, tries)


def _result(device: Device, attempt: Attempt, start: float, tries: int,
            status: str | None = None, error: str | None = None) -> RawOutputs:
    if status is None:
        errored = {p.command for p in attempt.problems}
        if not errored:
            status = "ok"
        elif errored >= set(attempt.outputs):
            status = "command_failed"
            error = "every command failed: " + "; ".join(str(p) for p in attempt.problems)
        else:
            status = "partial"
    if tries > 1 and error:
        error = f"{error} (after {tries} attempts)"
    return RawOutputs(device.name, device.platform, dict(attempt.outputs), status=status,  # type: ignore[arg-type]
                      error=error, problems=tuple(attempt.problems),
                      elapsed_s=time.perf_counter() - start)


def error_line(text: str, markers: tuple[str, ...]) -> str | None:
    """The first line near the top of an output that carries a device error marker."""
    for line in text.splitlines()[:5]:
        if any(marker in line for marker in markers):
            return line.strip()
    return None


def as_text_file(text: str) -> str:
    """netmiko strips the newline before the prompt; put it back so a live capture
    reads exactly like the same output saved by hand (text files end with a newline)."""
    return text if not text or text.endswith("\n") else text + "\n"


def take_answer(platform: Platform, cmd: Command, text: str, attempt: Attempt,
                rejected: list[CommandProblem]) -> bool:
    """Redact one answer and keep it in ``attempt`` (so before anything reaches the disk);
    True when it settles its alternative group: no error marker, and readable JSON where
    JSON was asked for. A rejected answer is noted in ``rejected`` (reported when no member
    of the group answers)."""
    # As a terminal shows it: an escape sequence or a pager's backspaces inside a secret
    # line would hide it from the redaction rules, not from ``cat``.
    text = redact_config(platform.name, clean_output(as_text_file(text)))
    attempt.outputs[cmd.command] = text
    bad = error_line(text, platform.error_markers)
    if bad is not None:
        rejected.append(CommandProblem(cmd.command, "device_error", bad))
        return False
    return cmd.template != JSON_TEMPLATE or readable_json(text)
