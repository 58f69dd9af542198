"""A small SSH server that replays saved outputs as if it were a network device.

Test-only code (it is not part of the installed package): used by the SSH tests and the
collection benchmarks, and handy for a dry run of a survey. Each :class:`EmulatedDevice`
listens on its own 127.0.0.1 port, accepts one username/password, shows its platform's
prompt (``name#`` for Cisco and Arista, ``<name>`` for Huawei and H3C, ``user@name>`` for
Junos, ``user@name:~$`` for Linux), echoes what is typed (netmiko's session setup waits
for the echo) and answers each command with the file of the capture folder named after it
(:func:`core.platforms.command_filename`). What a device of a platform shows (prompt,
unknown-command reply, confirmations of terminal setup) comes from the platform's module
in :mod:`core.platforms` (``prompt_shown``, ``unknown_command_reply``, ``setup_replies``).

``enable_secret`` starts a Cisco-style session in user mode (``name>``), where survey
commands are refused until ``enable`` and the secret are typed.

Failure modes for tests: ``silent`` accepts TCP and never speaks SSH (a hung
device), ``drop_on`` closes the session when a given command is typed, and
``latency_s`` delays every survey answer (the benchmark).

Example::

    with Emulator([EmulatedDevice("r1", "cisco_ios", outputs={"show version": "..."})]) as emu:
        port = emu.port("r1")
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import paramiko

from core.platforms import PLATFORMS, Platform, command_filename

#: Commands that client libraries send to prepare the terminal (more than the platform table's
#: ``terminal_setup``: netmiko's own, Linux shell settings); they answer nothing.
_SETUP_PREFIXES = (
    "terminal ", "screen-length", "set cli ", "term ", "no page", "terminal-length",
    "user-interface", "undo terminal", "enable", "stty", "export ", "unset ", "PS1=",
)
_EXIT = {"exit", "quit", "logout"}

#: The platform a device of an unknown platform behaves as: a Cisco-style prompt and replies.
_DEFAULT_PLATFORM = "cisco_ios"


def platform_of(name: str) -> Platform:
    """The platform table entry a device of ``name`` answers as (IOS when unknown)."""
    return PLATFORMS.get(name, PLATFORMS[_DEFAULT_PLATFORM])


def prompt_for(platform: str, hostname: str, username: str = "admin") -> str:
    """The prompt a device of ``platform`` shows in privileged/operational mode.

    >>> prompt_for("huawei", "core1")
    '<core1>'
    >>> prompt_for("cisco_ios", "r1")
    'r1#'
    >>> prompt_for("juniper_junos", "edge", "ops")
    'ops@edge> '
    """
    return platform_of(platform).prompt_shown.format(hostname=hostname, username=username)


@dataclass
class EmulatedDevice:
    """One emulated device: its identity, its answers and how it misbehaves."""

    name: str
    platform: str
    outputs: Mapping[str, str] = field(default_factory=dict)  # command -> output text
    username: str = "admin"
    password: str = "admin"
    hostname: str | None = None  # shown in the prompt; defaults to ``name``
    latency_s: float = 0.0  # added before each survey answer
    silent: bool = False  # accept TCP, never send the SSH banner
    drop_on: str | None = None  # close the session when this command is typed
    enable_secret: str | None = None  # start in user mode ("name>"); "enable" asks for this
    host_key: paramiko.PKey | None = None  # generated when None

    @classmethod
    def from_capture(cls, folder: Path | str, platform: str, **kwargs: object) -> EmulatedDevice:
        """A device answering with every ``*.txt`` file of a capture folder."""
        folder = Path(folder)
        outputs = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}
        kwargs.setdefault("name", folder.name)
        return cls(platform=platform, outputs=outputs, **kwargs)  # type: ignore[arg-type]

    def answer(self, command: str) -> str | None:
        """The saved output of ``command`` (matched by capture file name), or None."""
        if not command:
            return None
        wanted = command_filename(command)
        for key, text in self.outputs.items():
            if key in (command, wanted) or command_filename(key) == wanted:
                return text
        return None


class _Auth(paramiko.ServerInterface):
    """Password authentication and a single interactive shell."""

    def __init__(self, device: EmulatedDevice):
        self.device = device
        self.shell_requested = threading.Event()

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        ok = username == self.device.username and password == self.device.password
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_pty_request(self, *args: object) -> bool:
        return True

    def check_channel_window_change_request(self, *args: object) -> bool:
        return True

    def check_channel_shell_request(self, channel: paramiko.Channel) -> bool:
        self.shell_requested.set()
        return True


class Emulator:
    """Serve many emulated devices, one 127.0.0.1 port each, from one accept thread."""

    def __init__(self, devices: Iterable[EmulatedDevice], host: str = "127.0.0.1"):
        self.devices = {d.name: d for d in devices}
        self.host = host
        self._listeners: dict[str, socket.socket] = {}
        self._selector = selectors.DefaultSelector()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.sessions: dict[str, int] = {name: 0 for name in self.devices}  # connections seen

    # lifecycle -----------------------------------------------------------------
    def start(self) -> Emulator:
        """Bind every device to an ephemeral port and start accepting."""
        for name, device in self.devices.items():
            if device.host_key is None:
                device.host_key = paramiko.ECDSAKey.generate()
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, 0))
            sock.listen(64)
            sock.setblocking(False)
            self._listeners[name] = sock
            self._selector.register(sock, selectors.EVENT_READ, name)
        thread = threading.Thread(target=self._accept_loop, name="emulator-accept", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Close every listener and session; return when the accept thread ended."""
        self._stop.set()
        for thread in self._threads[:1]:
            thread.join(timeout=5)
        for sock in self._listeners.values():
            sock.close()
        with self._lock:
            for sock in list(self._open):
                _close_quietly(sock)
        self._selector.close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def port(self, name: str) -> int:
        """The TCP port a device listens on."""
        return self._listeners[name].getsockname()[1]

    def known_hosts_line(self, name: str) -> str:
        """A known_hosts line for a device (``[127.0.0.1]:PORT type key``)."""
        key = self.devices[name].host_key
        assert key is not None, "start() the emulator first"
        return f"[{self.host}]:{self.port(name)} {key.get_name()} {key.get_base64()}"

    # serving ---------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._selector.select(timeout=0.2):
                try:
                    conn, _addr = key.fileobj.accept()  # type: ignore[union-attr]
                except OSError:
                    continue
                conn.setblocking(True)
                device = self.devices[key.data]
                with self._lock:
                    self.sessions[device.name] += 1
                    self._open.add(conn)
                if device.silent:
                    continue  # keep the socket open and never answer
                thread = threading.Thread(target=self._serve, args=(conn, device), daemon=True,
                                          name=f"emulator-{device.name}")
                thread.start()

    def _serve(self, conn: socket.socket, device: EmulatedDevice) -> None:
        transport = paramiko.Transport(conn)
        try:
            transport.add_server_key(device.host_key)
            auth = _Auth(device)
            transport.start_server(server=auth)
            channel = transport.accept(timeout=10)
            if channel is None or not auth.shell_requested.wait(timeout=10):
                return
            _Shell(device, channel, self._stop).run()
        except (paramiko.SSHException, EOFError, OSError):
            pass  # the client went away: nothing to serve
        finally:
            transport.close()
            with self._lock:
                self._open.discard(conn)
            _close_quietly(conn)


class _Shell:
    """The command loop of one session: echo, answer, prompt."""

    def __init__(self, device: EmulatedDevice, channel: paramiko.Channel, stop: threading.Event):
        self.device = device
        self.channel = channel
        self.stop = stop
        self.privileged_prompt = prompt_for(device.platform, device.hostname or device.name, device.username)
        self.privileged = device.enable_secret is None
        self.awaiting_secret = False  # "Password:" was asked: the next line is the secret, not echoed

    @property
    def prompt(self) -> str:
        return self.privileged_prompt if self.privileged else self.privileged_prompt[:-1] + ">"

    def send(self, text: str) -> None:
        # Devices end lines with CR LF; netmiko normalises them back.
        self.channel.sendall(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))

    def run(self) -> None:
        self.send("\n" + self.prompt)
        line = ""
        last = ""
        while not self.stop.is_set():
            data = self.channel.recv(4096)
            if not data:
                return
            echo = ""  # echoed once per chunk received, as a device's terminal does
            for char in data.decode("utf-8", errors="replace"):
                if char in "\r\n":
                    if char == "\n" and last == "\r":
                        last = char
                        continue  # CR LF is one Enter
                    last = char
                    self.send(echo + "\n")
                    echo = ""
                    if not self.execute(line.strip()):
                        return
                    line = ""
                else:
                    last = char
                    line += char
                    if not self.awaiting_secret:
                        echo += char
            if echo:
                self.send(echo)

    def execute(self, command: str) -> bool:
        """Answer one command; False ends the session."""
        device = self.device
        if device.drop_on and command == device.drop_on:
            self.channel.get_transport().close()  # abrupt: no answer, no prompt
            return False
        if command in _EXIT:
            return False
        if self.awaiting_secret:
            self.awaiting_secret = False
            self.privileged = command == device.enable_secret
            if not self.privileged:
                self.send("% Access denied\n")
            self.send(self.prompt)
            return True
        if command == "enable" and not self.privileged:
            self.awaiting_secret = True
            self.send("Password: ")
            return True
        platform = platform_of(device.platform)
        setup = dict(platform.setup_replies).get(command)
        answer = device.answer(command)
        if setup is not None:
            self.send(setup)
        elif answer is not None and not self.privileged:
            # User mode: the survey needs enable (refused as IOS refuses it, whatever the platform).
            self.send(PLATFORMS[_DEFAULT_PLATFORM].unknown_command_reply)
        elif answer is not None:
            if device.latency_s:
                time.sleep(device.latency_s)
            self.send(answer if answer.endswith("\n") or not answer else answer + "\n")
        elif command and not command.startswith(_SETUP_PREFIXES):
            self.send(platform.unknown_command_reply.format(command=command.split()[0]))
        self.send(self.prompt)
        return True


def _close_quietly(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
