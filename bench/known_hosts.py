"""Host key check cost per SSH session for the netmiko and napalm transports.

netmiko loads the known_hosts file it is given for every session, and paramiko builds a key
object for every line. Printed per known_hosts size: the CPU time to load the whole file
(what each session cost before) and to write and load the device's own lines
(``HostKeyPolicy.connection_args(host, port)``, what each session costs now), half of the
lines hashed (``HashKnownHosts yes``).

    python bench/known_hosts.py                  # 300, 3,000 and 30,000 lines
    python bench/known_hosts.py --lines 50000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import paramiko

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from collectors.hostkeys import HostKeyPolicy, known_hosts_name  # noqa: E402 - needs the sys.path set above


def write_known_hosts(path: Path, lines: int) -> list[str]:
    """A known_hosts file of ``lines`` devices (RSA and ECDSA keys, half the names hashed)."""
    keys = (paramiko.RSAKey.generate(2048), paramiko.ECDSAKey.generate())
    names = [known_hosts_name(f"10.{i // 62500}.{i // 250 % 250}.{i % 250 + 1}", 22) for i in range(lines)]
    with path.open("w", encoding="utf-8") as out:
        for i, name in enumerate(names):
            shown = paramiko.HostKeys.hash_host(name) if i % 2 else name
            out.write(paramiko.hostkeys.HostKeyEntry([shown], keys[i % 2]).to_line())
    return names


def cpu_ms_per_session(sessions: int, one: Callable[[int], object]) -> float:
    start = time.process_time()
    for i in range(sessions):
        one(i)
    return (time.process_time() - start) / sessions * 1000


def row(path: Path, lines: int, sessions: int) -> str:
    """One printed row: the per-session cost of the whole file against the device's own lines."""
    names = write_known_hosts(path, lines)
    picks = [names[(i * 7919) % lines] for i in range(sessions)]
    whole = cpu_ms_per_session(min(sessions, 5), lambda i: paramiko.HostKeys(str(path)))
    policy = HostKeyPolicy("strict", path)
    policy.index()  # indexed once per run, as a collection does
    own = cpu_ms_per_session(sessions, lambda i: paramiko.HostKeys(
        policy.connection_args(picks[i])["alt_key_file"]))
    return f"{lines:>8} {whole:>14.1f} {own:>13.2f} {whole / own:>6.0f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[300, 3000, 30000])
    parser.add_argument("--sessions", type=int, default=20, help="sessions timed per row")
    args = parser.parse_args()
    print(f"{'lines':>8} {'whole file ms':>14} {'own lines ms':>13} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for lines in args.lines:
            print(row(Path(tmp) / f"known_hosts-{lines}", lines, args.sessions), flush=True)


if __name__ == "__main__":
    main()
