"""One run reports every mistake of a whole inventory, sorted by file and line."""

from __future__ import annotations

from inventory_helpers import InventoryDir


def test_five_mistakes_in_three_files_are_all_reported(inv: InventoryDir) -> None:
    inv.write("devices.yaml", """\
    devices:
      - name: edu-sw1
        host: 192.0.2.30
        platform: ios
        department: edu
        site: hq
      - name: edu-sw2
        host: 192.0.2.31
        platform: huawei
        department: edu
        rooom: hq-room
    """)
    inv.write("lines/circuits.yaml", """\
    circuits:
      - id: CM-9
        carrier: China Mobile
        kind: mpls_vpn
        department: edu
        a: {site: hq}
        z: {site: donghu}
        bandwidth_mbps: 50
        cost_cny: -200
    """)
    inv.write("sites.yaml", "sites:\n  - {id: hq, name: Again, district: Xiling}\n")
    problems = inv.problems()
    assert [f"{p.file}:{p.line}: {p.field}" for p in problems] == [
        "devices.yaml:4: devices[0].platform",
        "devices.yaml:11: devices[1].rooom",
        "lines/circuits.yaml:7: circuits[0].z.site",
        "lines/circuits.yaml:9: circuits[0].cost_cny",
        "sites.yaml:2: sites[0].id",
    ]
    assert "unknown platform 'ios'" in problems[0].message
    assert problems[1].message == "unknown key 'rooom' (did you mean 'room'?)"
    assert problems[2].message == "unknown site 'donghu'"
    assert problems[3].message == "must be >= 0 (got -200)"
    assert problems[4].message.startswith("duplicate site 'hq': first declared at base.yaml:")
    # The CLI prints one problem per line: "file:line: field: message".
    assert str(problems[3]) == "lines/circuits.yaml:9: circuits[0].cost_cny: must be >= 0 (got -200)"
