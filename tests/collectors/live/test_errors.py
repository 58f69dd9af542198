"""Exceptions from paramiko/netmiko become a status, a clear message, and a retry decision."""

from __future__ import annotations

import paramiko
import pytest
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

from collectors.live.errors import classify


def _wrapped(inner: BaseException, outer: BaseException) -> BaseException:
    """An exception raised while handling another, as netmiko does."""
    try:
        try:
            raise inner
        except BaseException:
            raise outer  # noqa: B904 - implicit chaining (__context__) is the case under test
    except BaseException as exc:
        return exc


def test_bad_credentials_are_final() -> None:
    err = classify(NetmikoAuthenticationException("Authentication to device failed."), where="r1", phase="connect")
    assert (err.status, err.transient) == ("auth_failed", False)


def test_changed_host_key_is_a_mismatch_naming_both_fingerprints() -> None:
    old, new = paramiko.ECDSAKey.generate(), paramiko.ECDSAKey.generate()
    exc = _wrapped(paramiko.BadHostKeyException("h", new, old), NetmikoTimeoutException("A paramiko SSHException"))
    err = classify(exc, where="r1 (10.0.0.1:22)", phase="connect")
    assert err.status == "host_key_mismatch" and not err.transient
    assert old.fingerprint in err.message and new.fingerprint in err.message


def test_unknown_host_key_in_strict_mode_says_how_to_trust_it() -> None:
    exc = _wrapped(paramiko.SSHException("Server '[127.0.0.1]:2200' not found in known_hosts"),
                   NetmikoTimeoutException("A paramiko SSHException occurred"))
    err = classify(exc, where="r1", phase="connect")
    assert err.status == "host_key_mismatch" and "--accept-new-host-keys" in err.message


def test_refused_and_silent_devices_are_transient() -> None:
    refused = _wrapped(ConnectionRefusedError(111, "Connection refused"), NetmikoTimeoutException("TCP failed"))
    assert classify(refused, where="r1", phase="connect").status == "refused"
    banner = _wrapped(TimeoutError(), paramiko.SSHException("Error reading SSH protocol banner"))
    err = classify(banner, where="r1", phase="connect")
    assert (err.status, err.transient) == ("timeout", True)


def test_no_prompt_at_login_is_prompt_not_found() -> None:
    err = classify(ReadTimeout("Pattern not detected"), where="r1", phase="connect")
    assert (err.status, err.transient) == ("prompt_not_found", False)


@pytest.mark.parametrize("closed, status", [(False, "timeout"), (True, "command_failed")])
def test_command_read_timeout_depends_on_whether_the_session_survived(closed: bool, status: str) -> None:
    err = classify(ReadTimeout("Pattern not detected"), where="r1", phase="command",
                   command="show version", session_closed=closed)
    assert err.status == status and err.transient and "show version" in err.message


def test_socket_closed_mid_command_is_command_failed() -> None:
    err = classify(OSError("Socket is closed"), where="r1", phase="command", command="show interfaces")
    assert err.status == "command_failed" and "'show interfaces'" in err.message


def test_anything_else_is_an_error_with_its_type() -> None:
    err = classify(RuntimeError("boom"), where="r1", phase="command", command="x")
    assert err.status == "error" and "RuntimeError" in err.message and not err.transient


def test_paramiko_multi_address_refusal_is_refused() -> None:
    inner = paramiko.ssh_exception.NoValidConnectionsError({("127.0.0.1", 22): ConnectionRefusedError(111, "x")})
    err = classify(_wrapped(inner, NetmikoTimeoutException("TCP connection to device failed.")),
                   where="r1", phase="connect")
    assert (err.status, err.transient) == ("refused", True)
