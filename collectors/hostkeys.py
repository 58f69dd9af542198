"""SSH host key checking: known_hosts by default, trust-on-first-use or off on request.

Three modes:

* ``strict`` (default): the device's key must already be in the known_hosts file;
  an unknown or a changed key fails that device (``host_key_mismatch``).
* ``accept_new`` (``--accept-new-host-keys``): an unknown key is trusted and
  appended to the known_hosts file; a *changed* key still fails the device.
* ``off`` (``--no-host-key-check``): no check at all, explicitly asked for.

The policy is expressed as the netmiko/napalm connection arguments that make
paramiko load a known_hosts file and reject unknown keys (paramiko raises
``BadHostKeyException`` for a changed key whatever the missing-key policy), plus
:meth:`HostKeyPolicy.record` to append a newly trusted key after login.

Each session is given a file holding only its device's lines of the known_hosts file
(:meth:`HostKeyPolicy.known_hosts_for`): paramiko builds a key object for every line it
loads, about 0.26 ms a line, and netmiko loads the file for every session, so a district's
known_hosts of 3,000 lines cost 0.8 s of CPU per device. The file is indexed once (again
when it changes), plain names by dictionary and hashed names (``|1|salt|hash``) by their HMAC.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import paramiko

HostKeyMode = Literal["strict", "accept_new", "off"]
DEFAULT_KNOWN_HOSTS = Path("~/.ssh/known_hosts")


def known_hosts_name(host: str, port: int) -> str:
    """The name paramiko looks a host up by: ``host`` on port 22, ``[host]:port`` otherwise.

    >>> known_hosts_name("10.0.0.1", 22), known_hosts_name("127.0.0.1", 2200)
    ('10.0.0.1', '[127.0.0.1]:2200')
    """
    return host if port == 22 else f"[{host}]:{port}"


@dataclass(frozen=True, slots=True)
class KnownHostsIndex:
    """The lines of a known_hosts file by the host names they are for."""

    by_name: dict[str, list[tuple[str, str]]]  # plain name -> [(key type, line)]
    hashed: list[tuple[bytes, bytes, str, str]]  # (salt, digest, key type, line)

    @classmethod
    def of_text(cls, text: str) -> KnownHostsIndex:
        r"""Index known_hosts text (comments, blanks, markers and malformed lines skipped, as
        paramiko skips them).

        >>> index = KnownHostsIndex.of_text("# c\n10.0.0.1,[r1]:2222 ssh-ed25519 AAAA\n@revoked * ssh-rsa AAAA\n")
        >>> index.lines_for("[r1]:2222"), index.lines_for("10.0.0.9")
        (['10.0.0.1,[r1]:2222 ssh-ed25519 AAAA\n'], [])
        """
        by_name: dict[str, list[tuple[str, str]]] = {}
        hashed: list[tuple[bytes, bytes, str, str]] = []
        # Lines end where paramiko's text-mode read ends them (\n, \r\n, \r) and nowhere else:
        # str.splitlines also splits at form feeds, \x85 or \u2028, which would turn the rest
        # of a comment line into a key line paramiko never read.
        for text_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            fields = text_line.split()
            if len(fields) < 3 or fields[0].startswith(("#", "@")):
                continue
            names, key_type = fields[0], fields[1]
            line = text_line + "\n"
            for name in names.split(","):
                if name.startswith("|1|"):
                    try:
                        _, _, salt, digest = name.split("|")
                        hashed.append((base64.b64decode(salt), base64.b64decode(digest), key_type, line))
                    except (ValueError, binascii.Error):
                        continue
                else:
                    by_name.setdefault(name, []).append((key_type, line))
        return cls(by_name, hashed)

    def _entries(self, name: str) -> Iterable[tuple[str, str]]:
        yield from self.by_name.get(name, ())
        for salt, digest, key_type, line in self.hashed:
            if hmac.compare_digest(hmac.new(salt, name.encode(), hashlib.sha1).digest(), digest):
                yield key_type, line

    def lines_for(self, name: str) -> list[str]:
        """The lines that name ``name`` (as paramiko looks it up: ``host`` or ``[host]:port``)."""
        return list(dict.fromkeys(line for _, line in self._entries(name)))

    def key_types(self, name: str) -> set[str]:
        """The key types known for ``name``."""
        return {key_type for key_type, _ in self._entries(name)}


@dataclass
class HostKeyPolicy:
    """How host keys are checked for one collection run (shared by every worker)."""

    mode: HostKeyMode = "strict"
    known_hosts: Path = DEFAULT_KNOWN_HOSTS
    recorded: list[str] = field(default_factory=list)  # names trusted on first use in this run
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _record_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _index: tuple[tuple[int, int] | None, KnownHostsIndex] | None = field(default=None, repr=False)
    _session_files: Path | None = field(default=None, repr=False)
    _remove_session_files: weakref.finalize | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.known_hosts = Path(self.known_hosts).expanduser()

    def connection_args(self, host: str | None = None, port: int = 22) -> dict[str, Any]:
        """Arguments for netmiko's ``ConnectHandler`` (and napalm's ``optional_args``): for
        ``host`` (and ``port``), a file of that device's known_hosts lines only; without a
        host, the whole file."""
        if self.mode == "off":
            return {"ssh_strict": False, "system_host_keys": False, "alt_host_keys": False}
        return {
            # strict: RejectPolicy for unknown keys; accept_new: AutoAddPolicy, then record().
            "ssh_strict": self.mode == "strict",
            "system_host_keys": False,
            "alt_host_keys": True,
            "alt_key_file": str(self.known_hosts_for(host, port) if host else self.known_hosts),
        }

    def index(self) -> KnownHostsIndex:
        """The known_hosts file indexed, read again only when it changed (size or time)."""
        try:
            stat = self.known_hosts.stat()
            signature: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            signature = None
        with self._lock:
            if self._index is None or self._index[0] != signature:
                text = self.known_hosts.read_text(encoding="utf-8", errors="replace") if signature else ""
                self._index = (signature, KnownHostsIndex.of_text(text))
            return self._index[1]

    def known_hosts_for(self, host: str, port: int = 22) -> Path:
        """A private file holding the known_hosts lines of one device (see the module docstring)."""
        name = known_hosts_name(host, port)
        lines = self.index().lines_for(name)
        with self._lock:
            if self._session_files is None:
                folder = Path(tempfile.mkdtemp(prefix="netcensus-known-hosts-"))  # mode 0700
                self._remove_session_files = weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)
                self._session_files = folder
            folder = self._session_files
        path = folder / hashlib.sha256(name.encode()).hexdigest()[:24]
        # Each session writes its own copy then renames it: a retry of the same device in
        # another thread never reads a half-written file.
        partial = path.with_name(f"{path.name}.{threading.get_ident()}.tmp")
        partial.write_text("".join(lines), encoding="utf-8")
        os.replace(partial, path)
        return path

    def close(self) -> None:
        """Remove the session files (a later session writes new ones).

        Called when the run ends: the finalizer alone is not enough, since an RQ job process
        ends with ``os._exit`` and runs none, and each shard would leave its folder in /tmp.
        """
        with self._lock:
            if self._remove_session_files is not None:
                self._remove_session_files()
            self._session_files = self._remove_session_files = None

    def record(self, host: str, port: int, key: paramiko.PKey) -> bool:
        """Append a newly trusted key (accept_new mode); True when the file changed.

        Safe to call from many workers: the file is re-read and appended to under
        a lock, so concurrent first contacts all land once.
        """
        if self.mode != "accept_new":
            return False
        name = known_hosts_name(host, port)
        with self._record_lock:
            if key.get_name() in self.index().key_types(name):
                return False
            self.known_hosts.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            line = paramiko.hostkeys.HostKeyEntry([name], key).to_line()
            # Append (never rewrite) so the user's comments and hashed entries stay as they are.
            needs_newline = (self.known_hosts.is_file() and self.known_hosts.stat().st_size > 0
                             and not self.known_hosts.read_bytes().endswith(b"\n"))
            with open(self.known_hosts, "a", encoding="utf-8") as handle:
                handle.write(("\n" if needs_newline else "") + line)
                handle.flush()
                os.fsync(handle.fileno())
            self.recorded.append(name)
        return True


def server_key(connection: Any) -> paramiko.PKey | None:
    """The host key a netmiko connection was given by the server, if any."""
    client = getattr(connection, "remote_conn_pre", None)
    transport = client.get_transport() if client is not None else None
    return transport.get_remote_server_key() if transport is not None else None
