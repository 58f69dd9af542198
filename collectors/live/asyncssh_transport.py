"""The asyncssh transport: many SSH sessions in one event loop, the platform's commands, raw text back.

Three layers, as scrapli separates them:

* **transport** (:func:`_connect`): TCP, the SSH handshake under the run's host-key policy
  (checked before any password is sent), password login; asyncssh.
* **channel** (:class:`Channel`): an interactive shell on a pty: type a line, read until
  a pattern ends the answer, hand back the text as netmiko would (line ends normalised,
  the echo and the prompt removed).
* **platform behaviour** (:func:`_open_cli`, :func:`_survey`): find the prompt, turn
  paging off, enter privileged mode when a secret is given, read error markers as data;
  all of it from :class:`core.platforms.Platform` (``prompt_pattern``,
  ``terminal_setup``, ``enable_command``, ``error_markers``, ``groups``).

Every session of a collector runs in one event loop in one thread (:class:`EventLoop`),
at most ``settings.sessions`` at once (a semaphore); the run's worker threads only wait
for them, then write files and parse. Retries, statuses and the :class:`RawOutputs` come
from :func:`collectors.live.session.collect_with_retries`, as for netmiko, so the capture
layout, redaction, manifest records and error statuses are the same.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import re
import threading
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar

import asyncssh
import paramiko

from collectors.credentials import Credentials
from collectors.facts import CommandProblem
from collectors.hostkeys import HostKeyPolicy, known_hosts_name
from collectors.live.errors import DeviceError
from collectors.live.session import Attempt, SessionCollector, SessionSettings, take_answer
from collectors.normalise import is_context_line
from core.platforms import Platform
from inventory.model import Device

T = TypeVar("T")
Verdict = Literal["known", "unknown", "changed", "accepted"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][AB012]")
_NEWLINES = re.compile(r"\r\r\r\n|\r\r\n|\r\n|\n\r")
_TAIL = 512  # characters of the end of a read that decide whether the answer is complete
#: Host key types by the algorithms that negotiate them (RSA keys sign with SHA-2 today).
_KEY_ALGS = {"ssh-rsa": ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")}


class SessionClosed(Exception):
    """The device closed the session (EOF on the shell)."""


class PromptNotFound(Exception):
    """Logged in, but no line of the platform's prompt came in time."""


def normalise(text: str) -> str:
    r"""Line ends and escape codes as netmiko leaves them: ``\n`` only, no ANSI, no backspaces.

    >>> normalise("a\r\r\nb\x1b[0m\rc\x08")
    'a\nb\nc'
    """
    text = _ANSI.sub("", _NEWLINES.sub("\n", text)).replace("\x08", "")
    return text.replace("\r", "\n")


# --- transport: host keys and login ------------------------------------------------------------

class KnownHosts:
    """The run's known_hosts, read once, and the check each connection makes before login."""

    def __init__(self, policy: HostKeyPolicy):
        self.policy = policy
        self._keys = paramiko.HostKeys()
        if policy.mode != "off" and policy.known_hosts.is_file():
            self._keys.load(str(policy.known_hosts))

    def known_types(self, name: str) -> tuple[str, ...]:
        """Key types known_hosts holds for ``name`` (``[host]:port`` off port 22)."""
        found = self._keys.lookup(name)
        return tuple(found.keys()) if found is not None else ()

    def verdict(self, name: str, key_type: str, key_b64: str) -> Verdict:
        """Whether a presented key is the known one, an unknown one or a changed one."""
        found = self._keys.lookup(name)
        if not found:
            return "unknown"
        if any(key.get_base64() == key_b64 for key in found.values()):
            return "known"
        return "changed"

    def trust(self, host: str, port: int, key_type: str, key_b64: str) -> None:
        """Record a key trusted on first use (accept_new), in memory and in the file."""
        pkey = paramiko.PKey.from_type_string(key_type, base64.b64decode(key_b64))
        self._keys.add(known_hosts_name(host, port), key_type, pkey)
        self.policy.record(host, port, pkey)

    def algorithms(self, name: str) -> tuple[str, ...]:
        """Host key algorithms to offer: those of the known keys, so a device with several
        keys presents the one on file (as OpenSSH does); () means asyncssh's defaults."""
        return tuple(alg for kt in self.known_types(name) for alg in _KEY_ALGS.get(kt, (kt,)))


class _Client(asyncssh.SSHClient):
    """Checks the host key against the run's known_hosts before the password is sent."""

    def __init__(self, known: KnownHosts, name: str, mode: str):
        self.known, self.name, self.mode = known, name, mode
        self.verdict: Verdict | None = None
        self.presented: tuple[str, str] | None = None  # (type, base64)
        self.fingerprint = ""

    def validate_host_public_key(self, host: str, addr: str, port: int, key: asyncssh.SSHKey) -> bool:
        key_type, key_b64 = key.export_public_key("openssh").decode().split()[:2]
        self.presented = (key_type, key_b64)
        self.fingerprint = key.get_fingerprint()
        self.verdict = self.known.verdict(self.name, key_type, key_b64)
        if self.verdict == "unknown" and self.mode == "accept_new":
            self.verdict = "accepted"
        return self.verdict in ("known", "accepted")


async def _connect(device: Device, creds: Credentials, settings: SessionSettings,
                   known: KnownHosts) -> tuple[asyncssh.SSHClientConnection, _Client | None]:
    """An authenticated SSH connection; host key policy as ``settings.host_keys`` says."""
    mode = settings.host_keys.mode
    name = known_hosts_name(device.host, device.port)
    clients: list[_Client] = []

    def factory() -> asyncssh.SSHClient:
        client = _Client(known, name, mode)
        clients.append(client)
        return client

    checked: dict[str, Any] = {"known_hosts": None}  # off: no check at all
    if mode != "off":
        # No trusted keys of asyncssh's own: every key goes to _Client's check.
        checked = {"known_hosts": ([], [], []), "client_factory": factory}
        algs = known.algorithms(name)
        if algs:
            checked["server_host_key_algs"] = list(algs)
    timeout = settings.connect_timeout_s
    try:
        conn = await asyncio.wait_for(asyncssh.connect(
            device.host, device.port, username=creds.username, password=creds.password,
            client_keys=None, agent_path=None, config=None,
            preferred_auth=("password", "keyboard-interactive"),
            connect_timeout=timeout, login_timeout=timeout, keepalive_interval=0,
            **checked), timeout=3 * timeout)
    except BaseException:
        if clients and clients[-1].verdict in ("unknown", "changed"):
            raise _host_key_error(settings.where(device), clients[-1], known, name) from None
        raise
    return conn, (clients[-1] if clients else None)


def _host_key_error(where: str, client: _Client, known: KnownHosts, name: str) -> DeviceError:
    if client.verdict == "changed":
        return DeviceError("host_key_mismatch",
                           f"{where}: host key changed: the device offered {client.fingerprint}, not the "
                           f"{'/'.join(known.known_types(name))} key known_hosts holds; refusing to connect")
    return DeviceError("host_key_mismatch",
                       f"{where}: host key not in known_hosts; add it, or run once with "
                       "--accept-new-host-keys to trust it on first use")


def classify_async(exc: BaseException, *, where: str, phase: Literal["connect", "command"],
                   command: str | None = None) -> DeviceError:
    """A :class:`DeviceError` for what asyncssh or the channel raised (the statuses of
    :func:`collectors.live.errors.classify`)."""
    if isinstance(exc, DeviceError):
        return exc
    if isinstance(exc, asyncssh.PermissionDenied):
        return DeviceError("auth_failed", f"{where}: authentication failed (check the credential profile)")
    if isinstance(exc, asyncssh.HostKeyNotVerifiable):
        return DeviceError("host_key_mismatch", f"{where}: host key not trusted; refusing to connect")
    if isinstance(exc, asyncssh.KeyExchangeFailed) and "host key" in str(exc).lower():
        return DeviceError("host_key_mismatch", f"{where}: the device offers no host key of the types "
                                                "known_hosts holds for it; refusing to connect")
    if isinstance(exc, ConnectionRefusedError):
        return DeviceError("refused", f"{where}: connection refused", transient=True)
    if isinstance(exc, PromptNotFound):
        return DeviceError("prompt_not_found", f"{where}: logged in but found no prompt of the expected platform")
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        if phase == "command":
            return DeviceError("timeout", f"{where}: no prompt after {command!r} in time", transient=True)
        return DeviceError("timeout", f"{where}: no SSH answer in time", transient=True)
    if phase == "command" and isinstance(exc, (SessionClosed, asyncssh.Error, OSError, EOFError)):
        return DeviceError("command_failed", f"{where}: session closed by the device during {command!r}",
                           transient=True)
    if isinstance(exc, (SessionClosed, asyncssh.Error, OSError, EOFError)):
        return DeviceError("timeout", f"{where}: SSH connection failed: {type(exc).__name__}: {exc}"[:300],
                           transient=True)
    return DeviceError("error", f"{where}: {type(exc).__name__}: {exc}"[:300])


# --- channel: an interactive shell --------------------------------------------------------------

class Channel:
    """Type lines into a shell and read until the answer is complete."""

    def __init__(self, process: asyncssh.SSHClientProcess[str]):
        self._process = process

    def write(self, line: str) -> None:
        """Type a line (Enter included)."""
        self._process.stdin.write(line + "\n")

    async def read_until(self, done: Callable[[str], bool], timeout: float, echo: str | None = None) -> str:
        """Everything read until ``done(normalised tail)`` holds, normalised.

        With ``echo``, ``done`` is consulted only once the device echoed that text (netmiko's
        ``global_cmd_verify``): a late prompt left from an earlier exchange cannot end this
        answer. Raises :class:`asyncio.TimeoutError` after ``timeout`` seconds,
        :class:`SessionClosed` when the device ends the session first.
        """
        chunks: list[str] = []
        head = tail = ""  # the first few KiB (where the echo is) and the last characters read
        echoed = echo is None

        async def reading() -> None:
            nonlocal head, tail, echoed
            while True:
                if not echoed and head:
                    echoed = echo in normalise(head)  # type: ignore[operator]
                if echoed and tail and done(normalise(tail)):
                    return
                data = await self._process.stdout.read(65536)
                if not data:
                    raise SessionClosed()
                chunks.append(data)
                if len(head) < 4096:
                    head = (head + data)[:4096]
                tail = (tail + data)[-_TAIL:]

        await asyncio.wait_for(reading(), timeout)
        return normalise("".join(chunks))

    def close(self) -> None:
        self._process.close()


def _prompt_line(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """Whether the last line of a read is a prompt of the platform."""
    def done(text: str) -> bool:
        return bool(pattern.fullmatch(text.rsplit("\n", 1)[-1].rstrip()))
    return done


def _ends_with(prompt: str) -> Callable[[str], bool]:
    """Whether a read holds the echoed line and ends with ``prompt`` (netmiko's end of an answer)."""
    def done(text: str) -> bool:
        return "\n" in text and text.rstrip().endswith(prompt)
    return done


def answer_text(platform: Platform, raw: str, prompt: str, command: str | None = None) -> str:
    """A command's answer from what was read, as netmiko's ``send_command`` returns it:
    without the echoed command line (and anything before it), the prompt line, and (Junos)
    a context line before it."""
    lines = raw.split("\n")
    echo = next((i for i, line in enumerate(lines) if command and command[:40] in line), 0)
    lines = lines[echo + 1:]
    if lines and prompt in lines[-1]:
        lines = lines[:-1]
    if lines and is_context_line(platform.name, lines[-1]):
        lines = lines[:-1]
    return "\n".join(lines)


# --- platform behaviour: the session of one device -----------------------------------------------

async def _open_cli(channel: Channel, platform: Platform, creds: Credentials, timeout: float) -> str:
    """Find the prompt, enter privileged mode when there is a secret, turn paging off.
    Returns the prompt (its last line, trailing blanks removed)."""
    is_prompt = _prompt_line(re.compile(platform.prompt_pattern))
    try:
        await channel.read_until(is_prompt, timeout)
        channel.write("")  # a fresh prompt alone: a banner line cannot pass for it
        prompt = (await channel.read_until(is_prompt, timeout)).rsplit("\n", 1)[-1].rstrip()
    except TimeoutError:
        raise PromptNotFound() from None
    if creds.secret and platform.enable_command and prompt.endswith(">"):
        channel.write(platform.enable_command)
        asked = await channel.read_until(lambda t: t.rstrip().endswith(":") or is_prompt(t), timeout)
        if asked.rstrip().endswith(":"):
            channel.write(creds.secret)
            asked = await channel.read_until(is_prompt, timeout)
        prompt = asked.rsplit("\n", 1)[-1].rstrip()
        if prompt.endswith(">"):
            raise DeviceError("error", "logged in, but the enable secret was not accepted")
    for line in platform.terminal_setup:
        channel.write(line)
        await channel.read_until(_ends_with(prompt), timeout, echo=line[:40])
    return prompt


async def _survey(channel: Channel, platform: Platform, prompt: str, attempt: Attempt,
                  settings: SessionSettings, where: str) -> None:
    """Every command group of the platform, each answer redacted into ``attempt``."""
    ended = _ends_with(prompt)
    for group in platform.groups:
        rejected: list[CommandProblem] = []
        for cmd in group:
            if settings.stop.is_set():
                raise DeviceError("error", f"{where}: interrupted before {cmd.command!r}")
            channel.write(cmd.command)
            try:
                raw = await channel.read_until(ended, settings.command_timeout_s, echo=cmd.command[:40])
            except Exception as exc:
                raise classify_async(exc, where=where, phase="command", command=cmd.command) from None
            if take_answer(platform, cmd, answer_text(platform, raw, prompt, cmd.command), attempt, rejected):
                break
        else:  # no member answered: report what the device said
            attempt.problems.extend(rejected)


# --- the collector ---------------------------------------------------------------------------------

class EventLoop:
    """One asyncio event loop in a daemon thread, started on first use, shared by every session."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` in the loop and wait for its result (from any other thread)."""
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._loop.run_forever, name="asyncssh-loop", daemon=True)
                self._thread.start()
            loop = self._loop
        try:
            return asyncio.run_coroutine_threadsafe(coro, loop).result()
        except (asyncio.CancelledError, concurrent.futures.CancelledError):
            raise DeviceError("error", "interrupted: session cancelled") from None

    def close(self) -> None:
        """Cancel what still runs (a second Ctrl-C), then stop the loop and its thread.
        A caller still waiting in :meth:`run` gets :class:`DeviceError` ("interrupted")."""
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is None or thread is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(_cancel_others(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        if not thread.is_alive():
            loop.close()


async def _cancel_others() -> None:
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks, timeout=3) if tasks else None


class AsyncsshCollector(SessionCollector):
    """Collect raw command outputs over SSH with asyncssh (the :class:`Collector` protocol):
    the same commands, files, redaction and statuses as :class:`NetmikoCollector`, with
    every session in one event loop."""

    def __init__(self, settings: SessionSettings):
        super().__init__(settings)
        self.loop = EventLoop()
        self._slots: asyncio.Semaphore | None = None  # created in the loop's thread
        self._known: KnownHosts | None = None
        self._known_lock = threading.Lock()

    def close(self) -> None:
        """Stop the event loop (the run calls this when it ends)."""
        self.loop.close()

    def _known_hosts(self) -> KnownHosts:
        with self._known_lock:
            if self._known is None:
                self._known = KnownHosts(self.settings.host_keys)
            return self._known

    def _session(self, device: Device, platform: Platform, creds: Credentials, attempt: Attempt) -> None:
        self.loop.run(self.attempt(device, platform, creds, attempt))

    async def attempt(self, device: Device, platform: Platform, creds: Credentials, attempt: Attempt) -> None:
        """One attempt in the event loop; raises :class:`DeviceError`."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, self.settings.sessions))
        async with self._slots:
            await self._one_session(device, platform, creds, attempt)

    async def _one_session(self, device: Device, platform: Platform, creds: Credentials, attempt: Attempt) -> None:
        settings = self.settings
        where = settings.where(device)
        known = self._known_hosts()
        try:
            conn, client = await _connect(device, creds, settings, known)
        except Exception as exc:
            raise classify_async(exc, where=where, phase="connect") from None
        try:
            if client is not None and client.verdict == "accepted" and client.presented:
                known.trust(device.host, device.port, *client.presented)  # after login, as netmiko
            try:
                process = await asyncio.wait_for(conn.create_process(
                    term_type="vt100", term_size=(511, 1000), encoding="utf-8", errors="ignore"),
                    settings.connect_timeout_s)
                channel = Channel(process)
                prompt = await _open_cli(channel, platform, creds, settings.connect_timeout_s)
            except Exception as exc:
                raise classify_async(exc, where=where, phase="connect") from None
            await _survey(channel, platform, prompt, attempt, settings, where)
        finally:
            conn.abort()
