"""The netmiko transport: one SSH session per device, the platform's commands, raw text back."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from netmiko import ConnectHandler
from netmiko.base_connection import log as netmiko_log

from collectors.credentials import Credentials
from collectors.facts import CommandProblem
from collectors.live.errors import DeviceError, classify
from collectors.live.session import Attempt, SessionCollector, SessionSettings, connecting, take_answer
from core.platforms import Platform
from inventory.model import Device


def connect_args(device: Device, platform: Platform, creds: Credentials,
                 settings: SessionSettings) -> dict[str, Any]:
    """netmiko ``ConnectHandler`` arguments for one device (timeouts, host keys, no autodetect)."""
    timeout = settings.connect_timeout_s
    return {
        "device_type": platform.netmiko_device_type,
        "host": device.host,
        "port": device.port,
        "username": creds.username,
        "password": creds.password,
        "secret": creds.secret or "",
        "conn_timeout": timeout,
        "banner_timeout": timeout,
        "auth_timeout": timeout,
        "fast_cli": True,
        # Wait for the echo of each command before looking for the prompt. netmiko turns
        # this off for Comware (long commands wrap there); ours are short, and without it a
        # late prompt from an earlier exchange ends the next command's output at once.
        "global_cmd_verify": True,
        "allow_agent": False,
        "use_keys": False,
        **settings.host_keys.connection_args(device.host, device.port),
    }


class NetmikoCollector(SessionCollector):
    """Collect raw command outputs over SSH with netmiko (the :class:`Collector` protocol):
    every command of the device's platform, redacted."""

    def _session(self, device: Device, platform: Platform, creds: Credentials, attempt: Attempt) -> None:
        settings = self.settings
        where = settings.where(device)
        conn = connecting(lambda: ConnectHandler(**connect_args(device, platform, creds, settings)), where)
        try:
            settings.record_host_key(device, conn)
            if creds.secret and platform.enable_command:
                try:
                    if not conn.check_enable_mode():
                        conn.enable()
                except Exception as exc:
                    raise classify(exc, where=where, phase="command", command="enable") from None
            prompt = connecting(conn.find_prompt, where)
            # The prompt, at the very end of what was read, ends an answer. Found once here:
            # netmiko would otherwise look for it again before every command (a round trip each).
            end_of_answer = re.escape(prompt.strip()) + r"\s*$"
            for group in platform.groups:
                # A group is a JSON command and the text command standing in for it (or one
                # command): the fallback is typed only when the JSON answer is unusable,
                # and the rejection of "| json" by older software is then no problem.
                rejected: list[CommandProblem] = []
                for cmd in group:
                    if settings.stop.is_set():
                        raise DeviceError("error", f"{where}: interrupted before {cmd.command!r}")
                    try:
                        text = conn.send_command(cmd.command, expect_string=end_of_answer,
                                                 read_timeout=settings.command_timeout_s)
                    except Exception as exc:
                        raise classify(exc, where=where, phase="command", command=cmd.command,
                                       session_closed=not _alive(conn)) from None
                    # Redacted before it leaves this function (and so before the disk).
                    if take_answer(platform, cmd, str(text), attempt, rejected):
                        break
                else:  # no member answered: report what the device said
                    attempt.problems.extend(rejected)
        finally:
            _close(conn)


def _alive(conn: Any) -> bool:
    """Whether the SSH session is still open (a dropped one reads as silence in netmiko)."""
    channel = getattr(conn, "remote_conn", None)
    transport = channel.get_transport() if channel is not None else None
    return bool(transport is not None and transport.is_active() and not channel.closed)


def _close(conn: Any) -> None:
    """Close without the polite logout wait (Huawei waits 2 s of silence after 'quit')."""
    with contextlib.suppress(Exception):  # the session may already be gone; nothing to report
        conn.paramiko_cleanup()
    # disconnect() would also drop the per-session filter netmiko adds to its logger
    # (it hides the password in debug logs); without it, filters pile up over a survey.
    secrets_filter = getattr(conn, "_secrets_filter", None)
    if secrets_filter is not None:
        netmiko_log.removeFilter(secrets_filter)
