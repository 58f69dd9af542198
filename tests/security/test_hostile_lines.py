"""A hostile capture cannot stall redaction: megabyte-scale lines cost linear time.

Before the rules were bounded, one 1 MB line of ``enable secret xxxx...`` held the Junos
``## SECRET-DATA`` rule in quadratic backtracking for hours (the audit, or the archive, never
finished). Each line below is 50,000 to 250,000 characters; a rule gone quadratic again takes
minutes on them, so each gets a few seconds before the test fails.
"""

from __future__ import annotations

import signal
import time

import pytest

from collectors.redact import REDACTED, redact_config

N = 50_000
LINES = {
    "many tokens after password": "password " + "a " * N,
    "username, one huge token": "username " + "b" * N * 5,
    "username, many tokens": "username x " + "b " * N + "role y",
    "enable secret, one huge token": "enable secret " + "x" * N * 5,
    "huge token, keyword after it": "x" * N * 5 + " secret",
    "keywords only": "key secret password cipher simple plain hash auth priv community " * (N // 60),
    "pre-shared-key address, repeated": "pre-shared-key address " * (N // 20),
    "ppp chap, repeated": "ppp chap " * (N // 10),
    "ipsec spi esp, repeated": "ipsec spi 1 esp " * (N // 16),
    "password, repeated": "password " * (N // 9),
    "snmp v3 user, many tokens": "snmp-server user u g v3 auth sha " + "z " * N,
    "Junos secret, huge": 'authentication-key "' + "q" * N * 5 + '"; ## SECRET-DATA',
    "Junos quote never closed": 'authentication-key "' + "q" * N * 5,
    "Junos quoted values, many": '"a" ' * N,
    "usm-user, many tokens": "snmp-agent usm-user v3 u " + "w " * N,
    "authentication-mode, many numbers": " ospf authentication-mode md5 " + "1 " * N,
    "URL, huge user": "path scp://" + "u" * N + ":" + "p" * 1000,
    "URL-like, repeated": "a://b:" * (N // 6),
    "$9$, repeated": "$9$" * N,
    "community, repeated": "community " * (N // 10),
    "one hyphenated word, keyword at its end": "a-" * N + "secret",
    "one dotted word, keyword at its end": "a." * N + "password",
    "open $9$ quote, huge": 'key "$9$' + "q" * N * 5,
}


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError


@pytest.mark.parametrize("platform", ["cisco_ios", "huawei", "juniper_junos", "unknown_os"])
def test_long_hostile_lines_are_redacted_in_linear_time(platform: str) -> None:
    previous = signal.signal(signal.SIGALRM, _timeout)
    slow = []
    try:
        for name, line in LINES.items():
            signal.alarm(5)
            started = time.perf_counter()
            try:
                out = redact_config(platform, line + "\n")
            except TimeoutError:
                slow.append(name)
                continue
            finally:
                signal.alarm(0)
            assert out.count("\n") == 1, name  # still one line
            assert time.perf_counter() - started < 5, name
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not slow, f"{platform}: redaction stalled on {slow}"


def test_a_long_line_still_loses_its_secret() -> None:
    line = "enable secret 0 " + "k" * 200_000 + "\n"
    assert redact_config("cisco_ios", line) == f"enable secret 0 {REDACTED}\n"
    junos = '    authentication-key "$9$' + "q" * 200_000 + '"; ## SECRET-DATA\n'
    assert redact_config("juniper_junos", junos) == f'    authentication-key "{REDACTED}"; ## SECRET-DATA\n'
