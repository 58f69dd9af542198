"""Every command pays for what the CLI imports at start: the distributed commands' broker
client (redis, rq) is imported only when `worker` or `dispatch` runs."""

from __future__ import annotations

import subprocess
import sys


def test_the_cli_starts_without_the_broker_client() -> None:
    probe = "import sys, netcensus.cli; print(sorted(m for m in ('redis', 'rq', 'psycopg') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
