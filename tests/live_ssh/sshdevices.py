"""Emulated devices for the SSH tests: real SSH sessions to 127.0.0.1, served from capture folders.

Device folders come from the parser test cases (``tests/collectors/cases/<platform>/*full*``,
real-looking outputs with secrets in their configurations) where a platform has one,
otherwise from ntc-templates' own fixture outputs (vendored in ``tests/fixtures/ntc-templates``),
so every platform of the table is served.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from support.emulator import EmulatedDevice

from core.platforms import PLATFORMS, command_filename
from inventory.model import Department, Device, Inventory, Site

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "collectors" / "cases"
NTC_FIXTURES = REPO / "tests" / "fixtures" / "ntc-templates"  # vendored, see its README
USER, PASSWORD = "survey", "Lab-Only-Pw1"
ENV = {"NETCENSUS_DEFAULT_USERNAME": USER, "NETCENSUS_DEFAULT_PASSWORD": PASSWORD}

#: Outputs for commands no fixture covers (Linux hosts, a few vendor commands).
_SYNTHETIC = {
    "hostname": "{name}\n",
    "uname -sr": "Linux 6.1.0-18-amd64\n",
    "ip -j address show": '[{{"ifindex":1,"ifname":"lo","operstate":"UNKNOWN","addr_info":'
                          '[{{"family":"inet","local":"127.0.0.1","prefixlen":8}}]}}]\n',
    "lldpcli show neighbors -f json": '{{"lldp": {{}}}}\n',
}


def case_folder(platform: str) -> Path | None:
    """A complete parser case of the platform, if the parser tests have one."""
    folders = sorted((CASES / platform).glob("*full*")) if (CASES / platform).is_dir() else []
    return folders[0] if folders else None


def write_device_folder(platform: str, dest: Path) -> Path:
    """A capture folder answering every command of ``platform``; returns ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    case = case_folder(platform)
    if case is not None:
        for path in case.glob("*.txt"):
            shutil.copy(path, dest / path.name)
        return dest
    ntc = PLATFORMS[platform].ntc_platform
    for cmd in PLATFORMS[platform].commands:
        raws = sorted((NTC_FIXTURES / ntc / command_filename(cmd.command)[:-4]).glob("*.raw"))
        if raws:
            text = raws[0].read_text(encoding="utf-8", errors="replace")
        else:
            text = _SYNTHETIC.get(cmd.command, f"{platform} answer to {cmd.command}\n").format(name=dest.name)
        (dest / command_filename(cmd.command)).write_text(text, encoding="utf-8")
    return dest


def emulated(folder: Path, platform: str, **kwargs: object) -> EmulatedDevice:
    """An emulated device serving a folder, with the test credentials."""
    kwargs = {"username": USER, "password": PASSWORD, **kwargs}
    return EmulatedDevice.from_capture(folder, platform, **kwargs)


def inventory_for(devices: dict[str, tuple[str, int, str]]) -> Inventory:
    """An inventory of ``name -> (platform, port, transport)`` on 127.0.0.1."""
    return Inventory(
        departments={"it": Department(id="it", name="IT office")},
        sites={"hq": Site(id="hq", name="City hall", district="central")},
        devices={name: Device(name=name, host="127.0.0.1", port=port, platform=platform, department="it",
                              site="hq", transport=transport)  # type: ignore[arg-type]
                 for name, (platform, port, transport) in devices.items()},
    )
