"""ADR002 on real saved outputs (ntc-templates' NX-OS test outputs, vendored with their licence).

Two boxes built from one configuration hold the same addresses. On the data plane that is a
duplicate: high when the evidence shows the global table (a running configuration was read),
medium when only ``show interface`` was handed in (it never names a VRF). On the out-of-band
``mgmt0`` it is a management conflict (low), never a high finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.citybuild import city, context, device

from analysis.checks.addressing import duplicate_addresses
from analysis.findings import Severity
from collectors.base import RawOutputs
from collectors.parse import parse_outputs

OUTPUT = (Path(__file__).parents[1] / "fixtures" / "ntc-templates" / "cisco_nxos" / "show_interface"
          / "cisco_nxos_show_interface.raw")


@pytest.mark.parametrize("config, vlan", [(None, Severity.MEDIUM), ("hostname sw\n", Severity.HIGH)])
def test_copied_nxos_boxes_duplicate_their_vlan_address_but_mgmt0_only_at_low_severity(config, vlan):
    outputs = {"show interface": OUTPUT.read_text(encoding="utf-8")}
    if config:
        outputs["show running-config"] = config
    observed = [parse_outputs(RawOutputs(name, "cisco_nxos", dict(outputs))) for name in ("n1", "n2")]
    inv = city(devices=[device("n1", "a", platform="cisco_nxos"), device("n2", "b", platform="cisco_nxos")])
    found = {f.key: f.severity for f in duplicate_addresses(context(inv, observed))}
    assert found == {"ADR002:10.1.20.3": vlan, "ADR002:10.1.100.21": Severity.LOW}
