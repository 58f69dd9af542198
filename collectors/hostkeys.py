"""SSH host key checking: known_hosts by default, trust-on-first-use or off on request.

Three modes:

* ``strict`` (default): the device's key must already be in the known_hosts file;
  an unknown or a changed key fails that device (``host_key_mismatch``).
* ``accept_new`` (``--accept-new-host-keys``): an unknown key is trusted and
  appended to the known_hosts file; a *changed* key still fails the device.
* ``off`` (``--no-host-key-check``): no check at all, explicitly asked for.

The policy is expressed as the netmiko/napalm connection arguments that make
paramiko load the file and reject unknown keys (paramiko raises
``BadHostKeyException`` for a changed key whatever the missing-key policy), plus
:meth:`HostKeyPolicy.record` to append a newly trusted key after login.
"""

from __future__ import annotations

import os
import threading
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


@dataclass
class HostKeyPolicy:
    """How host keys are checked for one collection run (shared by every worker)."""

    mode: HostKeyMode = "strict"
    known_hosts: Path = DEFAULT_KNOWN_HOSTS
    recorded: list[str] = field(default_factory=list)  # names trusted on first use in this run
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.known_hosts = Path(self.known_hosts).expanduser()

    def connection_args(self) -> dict[str, Any]:
        """Arguments for netmiko's ``ConnectHandler`` (and napalm's ``optional_args``)."""
        if self.mode == "off":
            return {"ssh_strict": False, "system_host_keys": False, "alt_host_keys": False}
        return {
            # strict: RejectPolicy for unknown keys; accept_new: AutoAddPolicy, then record().
            "ssh_strict": self.mode == "strict",
            "system_host_keys": False,
            "alt_host_keys": True,
            "alt_key_file": str(self.known_hosts),
        }

    def record(self, host: str, port: int, key: paramiko.PKey) -> bool:
        """Append a newly trusted key (accept_new mode); True when the file changed.

        Safe to call from many workers: the file is re-read and appended to under
        a lock, so concurrent first contacts all land once.
        """
        if self.mode != "accept_new":
            return False
        name = known_hosts_name(host, port)
        with self._lock:
            keys = paramiko.HostKeys()
            if self.known_hosts.is_file():
                keys.load(str(self.known_hosts))
            known = keys.lookup(name)
            if known is not None and key.get_name() in known:
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
