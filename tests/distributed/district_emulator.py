"""Serve one district's emulated devices, each on its own management address; run inside the
district's network namespace by the province lab (``ip netns exec NS python district_emulator.py``).

Reads a JSON list of ``{name, platform, host, folder}``, starts one emulator per device bound
to ``host`` (an address the lab put on the namespace's loopback), writes
``{name: {port, known_hosts}}`` to the output file, then serves until SIGTERM.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the emulator is test-only code

from support.emulator import EmulatedDevice, Emulator

#: The lab-only login, from the environment (not argv: the process list shows argv).
USER, PASSWORD = os.environ["LAB_USER"], os.environ["LAB_PASSWORD"]


def main(config: Path, out: Path, latency_s: float) -> None:
    devices = json.loads(config.read_text(encoding="utf-8"))
    emulators = []
    for entry in devices:
        device = EmulatedDevice.from_capture(entry["folder"], entry["platform"], name=entry["name"],
                                             username=USER, password=PASSWORD, latency_s=latency_s)
        emulators.append(Emulator([device], host=entry["host"]).start())
    answer = {emu_device: {"port": emu.port(emu_device), "known_hosts": emu.known_hosts_line(emu_device)}
              for emu in emulators for emu_device in emu.devices}
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(answer), encoding="utf-8")
    tmp.replace(out)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    for emu in emulators:
        emu.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]))
