"""Host key policy: the connection arguments per mode and trust-on-first-use recording."""

from __future__ import annotations

import threading
from pathlib import Path

import paramiko

from collectors.hostkeys import HostKeyPolicy, known_hosts_name


def test_strict_mode_loads_the_file_and_rejects_unknown_keys(tmp_path: Path) -> None:
    args = HostKeyPolicy("strict", tmp_path / "kh").connection_args()
    assert args["ssh_strict"] is True and args["alt_host_keys"] is True
    assert args["alt_key_file"] == str(tmp_path / "kh") and args["system_host_keys"] is False


def test_accept_new_still_loads_the_file_so_changed_keys_fail(tmp_path: Path) -> None:
    args = HostKeyPolicy("accept_new", tmp_path / "kh").connection_args()
    assert args["ssh_strict"] is False and args["alt_key_file"] == str(tmp_path / "kh")


def test_off_mode_loads_nothing() -> None:
    args = HostKeyPolicy("off").connection_args()
    assert args["ssh_strict"] is False and args["alt_host_keys"] is False


def test_record_appends_a_new_key_once_with_the_port_form(tmp_path: Path) -> None:
    path = tmp_path / "kh"
    path.write_text("# my hosts\n"
                    "10.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBn6Nq3Ztl3N3yJyKzq9c1vQ5q8oY0pX2n7v8w9x0y1z")
    policy = HostKeyPolicy("accept_new", path)
    key = paramiko.ECDSAKey.generate()
    assert policy.record("127.0.0.1", 2222, key) is True
    assert policy.record("127.0.0.1", 2222, key) is False
    text = path.read_text()
    assert text.startswith("# my hosts\n10.0.0.1 ")  # the user's lines are kept
    assert text.count("[127.0.0.1]:2222 ecdsa-sha2-nistp256 ") == 1
    loaded = paramiko.HostKeys(str(path))
    assert loaded.lookup(known_hosts_name("127.0.0.1", 2222))["ecdsa-sha2-nistp256"] == key
    assert policy.recorded == ["[127.0.0.1]:2222"]


def test_record_does_nothing_in_strict_mode(tmp_path: Path) -> None:
    policy = HostKeyPolicy("strict", tmp_path / "kh")
    assert policy.record("127.0.0.1", 22, paramiko.ECDSAKey.generate()) is False
    assert not (tmp_path / "kh").exists()


def test_concurrent_first_contacts_all_land(tmp_path: Path) -> None:
    policy = HostKeyPolicy("accept_new", tmp_path / "sub" / "kh")
    keys = [paramiko.ECDSAKey.generate() for _ in range(8)]
    threads = [threading.Thread(target=policy.record, args=("127.0.0.1", 3000 + i, k)) for i, k in enumerate(keys)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    loaded = paramiko.HostKeys(str(tmp_path / "sub" / "kh"))
    assert all(loaded.lookup(f"[127.0.0.1]:{3000 + i}") for i in range(8))


def _line(name: str, key: paramiko.PKey) -> str:
    return paramiko.hostkeys.HostKeyEntry([name], key).to_line()


def test_a_session_gets_only_its_devices_lines_plain_or_hashed(tmp_path: Path) -> None:
    mine, other = paramiko.ECDSAKey.generate(), paramiko.ECDSAKey.generate()
    hashed = paramiko.HostKeys.hash_host("[10.0.0.7]:2222")
    path = tmp_path / "kh"
    path.write_text("# province\n" + _line("[10.0.0.9]:2222", other) + _line(hashed, mine)
                    + _line("10.0.0.7", other) + "@cert-authority *.city ssh-rsa AAAA\n")
    policy = HostKeyPolicy("strict", path)
    args = policy.connection_args("10.0.0.7", 2222)
    session_file = Path(args["alt_key_file"])
    assert session_file != path and session_file.read_text() == _line(hashed, mine)
    assert paramiko.HostKeys(str(session_file)).lookup("[10.0.0.7]:2222")["ecdsa-sha2-nistp256"] == mine
    # port 22 is looked up by the bare address: the other line
    assert paramiko.HostKeys(policy.connection_args("10.0.0.7")["alt_key_file"]).lookup("10.0.0.7") is not None
    assert Path(policy.connection_args("10.0.0.8", 2222)["alt_key_file"]).read_text() == ""


def test_a_key_recorded_on_first_use_is_in_the_next_sessions_file(tmp_path: Path) -> None:
    policy = HostKeyPolicy("accept_new", tmp_path / "kh")
    assert Path(policy.connection_args("127.0.0.1", 2201)["alt_key_file"]).read_text() == ""
    key = paramiko.ECDSAKey.generate()
    assert policy.record("127.0.0.1", 2201, key) is True
    session_file = policy.connection_args("127.0.0.1", 2201)["alt_key_file"]
    assert paramiko.HostKeys(session_file).lookup("[127.0.0.1]:2201")["ecdsa-sha2-nistp256"] == key
    assert policy.record("127.0.0.1", 2201, key) is False  # known now: not appended twice


def test_a_session_file_trusts_exactly_the_keys_paramiko_reads_in_the_whole_file(tmp_path: Path) -> None:
    """A key after a form feed, \\x85 or \\u2028 inside a comment stays a comment, as paramiko reads it."""
    old, current = paramiko.ECDSAKey.generate(), paramiko.ECDSAKey.generate()
    path = tmp_path / "kh"
    commented = [f"# retired{sep}{_line(name, old)}" for sep, name in
                 [("\x0c", "10.0.0.1"), ("\x0b", "10.0.0.2"), ("\x85", "10.0.0.3"), ("\u2028", "10.0.0.4"),
                  ("\x1c", paramiko.HostKeys.hash_host("[10.0.0.5]:2222"))]]
    path.write_text("".join(commented) + _line("10.0.0.6", current).replace("\n", "\r\n"), encoding="utf-8")
    whole = paramiko.HostKeys(str(path))
    policy = HostKeyPolicy("strict", path)
    for host, port in [("10.0.0.1", 22), ("10.0.0.2", 22), ("10.0.0.3", 22), ("10.0.0.4", 22),
                       ("10.0.0.5", 2222), ("10.0.0.6", 22)]:
        session = paramiko.HostKeys(policy.connection_args(host, port)["alt_key_file"])
        name = known_hosts_name(host, port)
        expected, got = whole.lookup(name), session.lookup(name)
        assert (got and dict(got.items())) == (expected and dict(expected.items())), name
    assert whole.lookup("10.0.0.1") is None and session.lookup("10.0.0.6") is not None
