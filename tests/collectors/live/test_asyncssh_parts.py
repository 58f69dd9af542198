"""The asyncssh transport's pieces without SSH: answers as netmiko returns them, error
statuses, the known_hosts check, and platform behaviour read from the platform table."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import asyncssh
import paramiko
import pytest
from support.emulator import prompt_for

from collectors.hostkeys import HostKeyPolicy
from collectors.live.asyncssh_transport import (
    KnownHosts,
    PromptNotFound,
    SessionClosed,
    _prompt_line,
    answer_text,
    classify_async,
    normalise,
)
from collectors.live.errors import DeviceError
from core.platforms import PLATFORMS

WHERE = "r1 (10.0.0.1:22)"


def test_an_answer_loses_its_echo_and_prompt_and_keeps_its_blank_lines() -> None:
    raw = normalise("show version\r\nCisco IOS\r\n\r\nuptime 1 day\r\nr1#")
    assert answer_text(PLATFORMS["cisco_ios"], raw, "r1#") == "Cisco IOS\n\nuptime 1 day"
    assert answer_text(PLATFORMS["cisco_ios"], normalise("terminal length 0\r\nr1#"), "r1#") == ""
    # a late prompt of an earlier exchange before the echo is no part of the answer
    late = "\nr1#\nr1#show version\nCisco IOS\nr1#"
    assert answer_text(PLATFORMS["cisco_ios"], late, "r1#", "show version") == "Cisco IOS"


def test_a_late_prompt_before_the_echo_does_not_end_the_answer() -> None:
    from collectors.live.asyncssh_transport import Channel, _ends_with

    class Stream:
        def __init__(self, parts: list[str]):
            self.parts = parts

        async def read(self, size: int) -> str:
            return self.parts.pop(0) if self.parts else ""

    class Process:
        stdout = Stream(["\r\nr1#", "show version\r\n", "Cisco IOS\r\n", "r1#"])

    raw = asyncio.run(Channel(Process()).read_until(_ends_with("r1#"), 5, echo="show version"))  # type: ignore[arg-type]
    assert raw == "\nr1#show version\nCisco IOS\nr1#"


def test_a_junos_context_line_before_the_prompt_is_removed_as_netmiko_does() -> None:
    raw = "show version\nHostname: r1\n\n{master:0}\nadmin@r1> "
    assert answer_text(PLATFORMS["juniper_junos"], raw, "admin@r1>") == "Hostname: r1\n"
    # only Junos: elsewhere such a line is an ordinary line of the answer
    assert answer_text(PLATFORMS["cisco_ios"], "x\n{master:0}\nr1#", "r1#") == "{master:0}"


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_platform_recognises_its_prompt_and_not_a_banner_line(platform: str) -> None:
    is_prompt = _prompt_line(re.compile(PLATFORMS[platform].prompt_pattern))
    assert is_prompt("Welcome\n" + prompt_for(platform, "core-1.hq"))
    assert not is_prompt("Authorized access only. Disconnect now")
    assert not is_prompt("Welcome\n")


def test_terminal_setup_turns_paging_off_on_every_cli_platform() -> None:
    setups = {name: p.terminal_setup for name, p in PLATFORMS.items()}
    assert "terminal length 0" in setups["cisco_ios"] and "terminal length 0" in setups["arista_eos"]
    assert "terminal length 0" in setups["cisco_nxos"]
    assert setups["huawei"] == ("screen-length 0 temporary",)
    assert setups["hp_comware"] == ("screen-length disable",)
    assert "set cli screen-length 0" in setups["juniper_junos"]
    assert {n for n, p in PLATFORMS.items() if p.enable_command} == {"cisco_ios", "cisco_nxos", "arista_eos"}


@pytest.mark.parametrize(("exc", "phase", "status", "transient"), [
    (asyncssh.PermissionDenied("no"), "connect", "auth_failed", False),
    (ConnectionRefusedError(), "connect", "refused", True),
    (TimeoutError(), "connect", "timeout", True),
    (TimeoutError(), "command", "timeout", True),
    (PromptNotFound(), "connect", "prompt_not_found", False),
    (SessionClosed(), "command", "command_failed", True),
    (asyncssh.ConnectionLost("gone"), "command", "command_failed", True),
    (asyncssh.ConnectionLost("gone"), "connect", "timeout", True),
    (asyncssh.HostKeyNotVerifiable("no"), "connect", "host_key_mismatch", False),
    (KeyError("bug"), "connect", "error", False),
])
def test_failures_are_classified_as_the_netmiko_path_does(exc: BaseException, phase: str, status: str,
                                                          transient: bool) -> None:
    err = classify_async(exc, where=WHERE, phase=phase, command="show version")  # type: ignore[arg-type]
    assert (err.status, err.transient) == (status, transient)
    assert err.message.startswith(WHERE)
    assert classify_async(DeviceError("auth_failed", "x"), where=WHERE, phase="connect").status == "auth_failed"


def test_known_hosts_tell_known_unknown_and_changed_keys_and_record_new_ones(tmp_path: Path) -> None:
    key, other = paramiko.ECDSAKey.generate(), paramiko.ECDSAKey.generate()
    path = tmp_path / "known_hosts"
    path.write_text(f"[10.0.0.1]:2222 {key.get_name()} {key.get_base64()}\n")
    known = KnownHosts(HostKeyPolicy("accept_new", path))
    assert known.verdict("[10.0.0.1]:2222", key.get_name(), key.get_base64()) == "known"
    assert known.verdict("[10.0.0.1]:2222", other.get_name(), other.get_base64()) == "changed"
    assert known.verdict("10.0.0.2", other.get_name(), other.get_base64()) == "unknown"
    assert known.algorithms("[10.0.0.1]:2222") == ("ecdsa-sha2-nistp256",)
    assert known.algorithms("10.0.0.2") == ()
    known.trust("10.0.0.2", 22, other.get_name(), other.get_base64())
    assert known.verdict("10.0.0.2", other.get_name(), other.get_base64()) == "known"
    assert f"10.0.0.2 {other.get_name()} {other.get_base64()}" in path.read_text()


def test_closing_the_event_loop_cancels_sessions_still_running() -> None:
    import threading

    from collectors.live.asyncssh_transport import EventLoop

    loop = EventLoop()
    assert loop.run(asyncio.sleep(0, result=7)) == 7
    outcome: list[object] = []

    def waiting() -> None:
        try:
            loop.run(asyncio.sleep(60))
        except DeviceError as err:
            outcome.append(err.message)

    thread = threading.Thread(target=waiting)
    thread.start()
    while not outcome and thread.is_alive():
        loop.close()
        thread.join(timeout=0.1)
    assert outcome == ["interrupted: session cancelled"]
