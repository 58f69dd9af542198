"""H3C Comware 7 outputs (MSR routers, S5130/S6800 switches), as real devices print them.

``display version`` has no ntc-templates template; the sample writes the real
Comware 7 layout, which ``collectors/templates/hp_comware_display_version.textfsm``
reads::

    H3C Comware Software, Version 7.1.070, Release 3208P10
    Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.
    H3C S5130S-28S-EI uptime is 12 weeks, 3 days, 7 hours, 42 minutes
    Last reboot reason : Cold reboot

    Boot image: flash:/S5130S_EI-CMW710-BOOT-R3208P10.bin
    Boot image version: 7.1.070, Release 3208P10
      Compiled Aug 14 2020 10:00:00
    System image: flash:/S5130S_EI-CMW710-SYSTEM-R3208P10.bin
    System image version: 7.1.070, Release 3208P10
      Compiled Aug 14 2020 10:00:00

    Slot 1:
    Uptime is 12 weeks,3 days,7 hours,42 minutes
    S5130S-28S-EI with 1 Processor
    BOARD TYPE:         S5130S-28S-EI
    DRAM:               1024M bytes
    FLASH:              512M bytes
    PCB 1 Version:      VER.A
    Bootrom Version:    143
    CPLD 1 Version:     002
    Release Version:    H3C S5130S-28S-EI-3208P10
    Patch Version  :    None
    Reboot Cause  :     ColdReboot
    [SubSlot 0] 24GE+4SFP Plus

The serial number is not in ``display version``; ``display device manuinfo`` has it.
"""

from __future__ import annotations

import datetime as dt

from netcensus.sample.city import Port
from netcensus.sample.render_common import (
    B64,
    Counters,
    DeviceView,
    configured_vlans,
    counters,
    fake_secret,
    hostname,
    mac_dashed,
    port_mac,
    uptime_words,
    vrp_interface_tail,
    vrp_states,
)

_RELEASE_DATES = {"3208P10": "Aug 14 2020 10:00:00", "2612": "Jan 24 2019 16:00:00",
                  "0821P16": "Mar 12 2019 11:00:00"}
_SUBSLOT = {"S5130S-28S-EI": "24GE+4SFP Plus", "S6800-54QF": "48SFP Plus+6QSFP Plus", "MSR3620": "3GE"}


def outputs(view: DeviceView) -> dict[str, str]:
    """Every command of the ``hp_comware`` platform, keyed as in ``core.platforms``."""
    return {
        "display version": display_version(view),
        "display device manuinfo": display_manuinfo(view),
        "display interface": display_interface(view),
        "display lldp neighbor-information verbose": display_lldp(view),
        "display current-configuration": current_configuration(view),
    }


def _release(view: DeviceView) -> tuple[str, str]:
    """(``7.1.070``, ``3208P10``) from the model's ``7.1.070, Release 3208P10``."""
    version, release = view.device.model.os_version.split(", Release ")
    return version, release


# -- display version / manuinfo -----------------------------------------------------------------
def display_version(view: DeviceView) -> str:
    model = view.device.model
    version, release = _release(view)
    up = uptime_words(view.uptime, years=False)
    compact = up.replace(", ", ",")
    family = model.image.split("-CMW710-")[0]
    compiled = _RELEASE_DATES.get(release, "Jan 1 2020 00:00:00")
    slot = 0 if model.kind == "router" else 1
    processors = "2 Processors" if model.name.startswith("S6800") else "1 Processor"
    return (f"H3C Comware Software, Version {version}, Release {release}\n"
            "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.\n"
            f"H3C {model.name} uptime is {up}\nLast reboot reason : Cold reboot\n\n"
            f"Boot image: flash:/{family}-CMW710-BOOT-R{release}.bin\n"
            f"Boot image version: {version}, Release {release}\n  Compiled {compiled}\n"
            f"System image: flash:/{family}-CMW710-SYSTEM-R{release}.bin\n"
            f"System image version: {version}, Release {release}\n  Compiled {compiled}\n\n"
            f"Slot {slot}:\nUptime is {compact}\n{model.name} with {processors}\n"
            f"BOARD TYPE:         {model.name}\nDRAM:               1024M bytes\n"
            "FLASH:              512M bytes\nPCB 1 Version:      VER.A\nBootrom Version:    143\n"
            f"CPLD 1 Version:     002\nRelease Version:    H3C {model.name}-{release}\n"
            "Patch Version  :    None\nReboot Cause  :     ColdReboot\n"
            f"[SubSlot 0] {_SUBSLOT.get(model.name, '')}\n")


def display_manuinfo(view: DeviceView) -> str:
    dev = view.device
    slot = 0 if dev.model.kind == "router" else 1
    made = (view.booted - dt.timedelta(days=200)).strftime("%Y-%m-%d")
    mac = mac_dashed(dev.mac).upper()
    tail = dev.serial[-6:]
    return (f"Slot {slot} CPU 0:\nDEVICE_NAME          : {dev.model.name}\n"
            f"DEVICE_SERIAL_NUMBER : {dev.serial}\nMAC_ADDRESS          : {mac}\n"
            f"MANUFACTURING_DATE   : {made}\nVENDOR_NAME          : H3C\n"
            f"Fan 1\nDEVICE_NAME          : LSPM1FANSA\nDEVICE_SERIAL_NUMBER : 210231A0{tail}F1\n"
            f"MANUFACTURING_DATE   : {made}\nVENDOR_NAME          : H3C\n"
            f"Power 1\nDEVICE_NAME          : PSR150-A1\nDEVICE_SERIAL_NUMBER : 210231A1{tail}P1\n"
            f"MANUFACTURING_DATE   : {made}\nVENDOR_NAME          : H3C\n")


# -- display interface --------------------------------------------------------------------------
def _speed(port: Port) -> str:
    return f"{port.speed_mbps // 1000}Gbps" if port.speed_mbps >= 10000 else "1000Mbps"


def _rates(c: Counters) -> list[str]:
    """The counter lines that open every interface's statistics."""
    return ["Last clearing of counters: Never",
            f"Last 300 seconds input rate: {c.in_bps // 8} bytes/sec, {c.in_bps} bits/sec, {c.in_pps} packets/sec",
            f"Last 300 seconds output rate: {c.out_bps // 8} bytes/sec, {c.out_bps} bits/sec, "
            f"{c.out_pps} packets/sec"]


def display_interface(view: DeviceView) -> str:
    dev = view.device
    blocks = []
    for port in dev.ports.values():
        link, protocol = vrp_states(port)
        c = counters(view, port)
        mac = mac_dashed(dev.mac if port.vlan_interface else port_mac(dev, port))
        bandwidth = port.bandwidth_kbps or port.speed_mbps * 1000
        lines = [port.name, f"Current state: {link}", f"Line protocol state: {protocol}"]
        if port.vlan_interface:
            lines += [f"Description: {port.description}", f"Bandwidth: {bandwidth} kbps",
                      "Maximum transmission unit: 1500", f"Internet address: {port.address} (Primary)",
                      f"IP packet frame type: Ethernet II, hardware address: {mac}",
                      f"IPv6 packet frame type: Ethernet II, hardware address: {mac}", *_rates(c),
                      f"Input: {c.in_packets} packets, {c.in_bytes} bytes, 0 drops",
                      f"Output: {c.out_packets} packets, {c.out_bytes} bytes, 0 drops"]
            blocks.append("\n".join(lines))
            continue
        if dev.model.routed:
            lines += [f"Description: {port.description}", f"Bandwidth: {bandwidth} kbps",
                      "Maximum transmission unit: 1500"]
            if port.address:
                lines.append(f"Internet address: {port.address} (Primary)")
            else:
                lines.append("Internet protocol processing: Disabled")
            lines += [f"IP packet frame type: Ethernet II, hardware address: {mac}",
                      f"IPv6 packet frame type: Ethernet II, hardware address: {mac}"]
        else:
            lines += [f"IP packet frame type: Ethernet II, hardware address: {mac}",
                      f"Description: {port.description}", f"Bandwidth: {bandwidth} kbps"]
        speed = f"{_speed(port)}-speed mode, full-duplex mode" if port.oper_up else \
            "Unknown-speed mode, unknown-duplex mode"
        lines += ["Loopback is not set", "Media type is twisted pair, port hardware type is 1000_BASE_T", speed,
                  "Link speed type is autonegotiation, link duplex type is autonegotiation",
                  "Flow-control is not enabled", "Maximum frame length: 10000"]
        if not dev.model.routed:
            lines += ["Allow jumbo frames to pass", "Broadcast max-ratio: 100%", "Multicast max-ratio: 100%",
                      "Unicast max-ratio: 100%"]
            if port.trunk:
                lines += ["PVID: 1", "MDI type: Automdix", "Port link-type: Trunk",
                          " VLAN Passing:   1(default vlan), 10", " VLAN permitted: 1(default vlan), 2-4094",
                          " Trunk port encapsulation: IEEE 802.1q"]
            else:
                vlan = port.access_vlan or 1
                lines += [f"PVID: {vlan}", "MDI type: Automdix", "Port link-type: Access",
                          " Tagged VLANs:   None", f" Untagged VLANs: {vlan}"]
            lines.append("Port priority: 0")
        lines += ["Last link flapping: Never" if not port.oper_up else "Last link flapping: 3 days 2 hours 11 minutes",
                  *_rates(c),
                  f"Input (total):  {c.in_packets} packets, {c.in_bytes} bytes",
                  f"        {c.in_packets - c.in_bcast - c.in_mcast} unicasts, {c.in_bcast} broadcasts, "
                  f"{c.in_mcast} multicasts, 0 pauses",
                  f"Input (normal):  {c.in_packets} packets, - bytes",
                  f"        {c.in_packets - c.in_bcast - c.in_mcast} unicasts, {c.in_bcast} broadcasts, "
                  f"{c.in_mcast} multicasts, 0 pauses",
                  "Input:  0 input errors, 0 runts, 0 giants, 0 throttles",
                  "        0 CRC, 0 frame, - overruns, 0 aborts", "        - ignored, - parity errors",
                  f"Output (total): {c.out_packets} packets, {c.out_bytes} bytes",
                  f"        {c.out_packets} unicasts, 0 broadcasts, 0 multicasts, 0 pauses",
                  f"Output (normal): {c.out_packets} packets, - bytes",
                  f"        {c.out_packets} unicasts, 0 broadcasts, 0 multicasts, 0 pauses",
                  "Output: 0 output errors, - underruns, - buffer failures",
                  "        0 aborts, 0 deferred, 0 collisions, 0 late collisions",
                  "        0 lost carrier, - no carrier"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


# -- display lldp neighbor-information verbose ------------------------------------------------
def display_lldp(view: DeviceView) -> str:
    entries = []
    index = {name: i + 1 for i, name in enumerate(view.device.ports)}
    for port, ad in view.lldp:
        caps = "Bridge, Router"
        description = [f" System description  : {ad.description[0]}"]
        description += [f"                       {line}" for line in ad.description[1:]]
        lines = [f"LLDP neighbor-information of port {index[port.name]}[{port.name}]:",
                 "LLDP agent nearest-bridge:", " LLDP neighbor index : 1",
                 f" Update time         : 0 days, {view.rng.randint(0, 23)} hours, {view.rng.randint(0, 59)} "
                 f"minutes, {view.rng.randint(0, 59)} seconds",
                 " Chassis type        : MAC address", f" Chassis ID          : {mac_dashed(ad.chassis_mac)}",
                 " Port ID type        : Interface name", f" Port ID             : {ad.port_id}",
                 " Time to live        : 121", f" Port description    : {ad.port_description}",
                 f" System name         : {ad.system_name}", *description,
                 f" System capabilities supported : {caps}", f" System capabilities enabled   : {caps}"]
        if ad.mgmt_address:
            lines += [" Management address type           : IPv4",
                      f" Management address                : {ad.mgmt_address}",
                      " Management address interface type : IfIndex",
                      f" Management address interface ID   : {view.rng.randint(1, 600)}",
                      " Management address OID            : 0"]
        lines += [" Port VLAN ID(PVID)  : 1", " Link aggregation supported : Yes",
                  " Link aggregation enabled   : No", " Aggregation port ID        : 0",
                  " Auto-negotiation supported : Yes", " Auto-negotiation enabled   : Yes",
                  " OperMau                    : Speed(1000)/Duplex(Full)",
                  " Power port class           : PD", " PSE power supported        : No",
                  " PSE power enabled          : No", " PSE pairs control ability  : No",
                  " Power pairs                : Signal", " Port power classification  : Class 0",
                  " Maximum frame size         : 9216"]
        entries.append("\n".join(lines))
    return "\n\n".join(entries) + ("\n" if entries else "")


# -- display current-configuration --------------------------------------------------------------
def current_configuration(view: DeviceView) -> str:
    dev, rng = view.device, view.rng
    version, release = _release(view)
    lines = ["#", f" version {version}, Release {release}", "#", f" sysname {hostname(dev)}", "#",
             " clock timezone BJ add 08:00:00", "#", " lldp global enable", "#", " password-recovery enable", "#"]
    for vrf in view.vrfs:
        lines += [f"ip vpn-instance {vrf}", f" route-distinguisher 65010:{100 + len(vrf)}", "#"]
    if not dev.model.routed:
        for vlan in configured_vlans(dev):
            lines += [f"vlan {vlan}", f" name VLAN{vlan:04d}", "#"]
    for port in dev.ports.values():
        lines.append(f"interface {port.name}")
        if not port.vlan_interface:
            lines.append(" port link-mode route" if dev.model.routed else " port link-mode bridge")
        if port.description:
            lines.append(f" description {port.description}")
        if port.access_vlan and not dev.model.routed:
            lines.append(f" port access vlan {port.access_vlan}")
        elif port.trunk and not dev.model.routed:
            lines += [" port link-type trunk", " port trunk permit vlan all"]
        lines += [*vrp_interface_tail(dev, port, bandwidth_unit_kbps=1), "#"]
    if view.default_route:
        lines += [f" ip route-static 0.0.0.0 0 {view.default_route}", "#"]
    lines += ["acl basic 2000", " rule 5 permit source 10.0.0.0 0.255.255.255", "#",
              " snmp-agent", f" snmp-agent community read cipher $c$3${fake_secret(rng, B64, 40)}",
              " snmp-agent sys-info version v2c v3", "#", " ssh server enable", "#",
              "local-user admin class manage", f" password hash $h$6${fake_secret(rng, B64, 16)}$"
              f"{fake_secret(rng, B64, 86)}==", " service-type ssh",
              " authorization-attribute user-role network-admin", "#", "line vty 0 63",
              " authentication-mode scheme", " user-role network-operator", "#", "return", ""]
    return "\n".join(lines)
