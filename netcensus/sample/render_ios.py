"""Cisco IOS / IOS-XE outputs, in the formats of real devices (see the ntc-templates fixtures).

``show version`` follows IOS-XE 16 for ISR 4300 and Catalyst 9300 and IOS 15.2 for the
2960-X; ``show interfaces`` prints full blocks for physical ports and short ones for
SVIs; ``show lldp neighbors detail`` uses short local names (``Gi1/0/1``) like IOS does.
"""

from __future__ import annotations

import datetime as dt
import re

from netcensus.sample.city import Port
from netcensus.sample.hardware import cisco_short
from netcensus.sample.names import DNS_DOMAIN
from netcensus.sample.render_common import (
    ALNUM,
    B64,
    Counters,
    DeviceView,
    configured_vlans,
    counters,
    fake_secret,
    hostname,
    mac_dotted,
    mask,
    port_mac,
    system_description,
    uptime_words,
)

_EXPORT_NOTICE = """\
This product contains cryptographic features and is subject to United
States and local country laws governing import, export, transfer and
use. Delivery of Cisco cryptographic products does not imply
third-party authority to import, export, distribute or use encryption.
Importers, exporters, distributors and users are responsible for
compliance with U.S. and local country laws. By using this product you
agree to comply with applicable laws and regulations. If you are unable
to comply with U.S. and local laws, return this product immediately.

A summary of U.S. laws governing Cisco cryptographic products may be found at:
http://www.cisco.com/wwl/export/crypto/tool/stqrg.html

If you require further assistance please contact us by sending email to
export@cisco.com.
"""


def outputs(view: DeviceView) -> dict[str, str]:
    """Every command of the ``cisco_ios`` platform, keyed as in ``core.platforms``."""
    return {
        "show version": show_version(view),
        "show interfaces": show_interfaces(view),
        "show lldp neighbors detail": show_lldp(view),
        "show cdp neighbors detail": show_cdp(view),
        "show running-config": running_config(view),
    }


# -- show version -------------------------------------------------------------------------------
def show_version(view: DeviceView) -> str:
    dev, model = view.device, view.device.model
    head = system_description(dev)
    booted = view.booted.strftime("%H:%M:%S CST %a %b %-d %Y")
    up = uptime_words(view.uptime)
    mac = dev.mac_address
    colon_mac = ":".join(mac[i:i + 2] for i in range(0, 12, 2))
    physical = sum(1 for p in dev.ports.values() if not p.vlan_interface)
    if model.name.startswith("ISR"):
        return (f"Cisco IOS XE Software, Version 16.09.04\n{head[0]}\n{head[1]}\n{head[2]}\n{head[3]}\n\n\n"
                "Cisco IOS-XE software, Copyright (c) 2005-2019 by cisco Systems, Inc.\n"
                "All rights reserved.  Certain components of Cisco IOS-XE software are\n"
                "licensed under the GNU General Public License (\"GPL\") Version 2.0.\n\n\n"
                "ROM: IOS-XE ROMMON\n\n"
                f"{hostname(dev)} uptime is {up}\nUptime for this control processor is {up}\n"
                f"System returned to ROM by PowerOn\nSystem restarted at {booted}\n"
                "System image file is \"bootflash:isr4300-universalk9.16.09.04.SPA.bin\"\n"
                "Last reload reason: PowerOn\n\n\n\n" + _EXPORT_NOTICE + "\n\n"
                "Technology Package License Information:\n\n"
                "-----------------------------------------------------------------\n"
                "Technology    Technology-package           Technology-package\n"
                "              Current       Type           Next reboot\n"
                "------------------------------------------------------------------\n"
                "appxk9           appxk9           RightToUse       appxk9\n"
                "securityk9       securityk9       RightToUse       securityk9\n\n"
                f"cisco {model.name} (1RU) processor with 1795979K/6147K bytes of memory.\n"
                f"Processor board ID {dev.serial}\n{physical} Gigabit Ethernet interfaces\n"
                "32768K bytes of non-volatile configuration memory.\n4194304K bytes of physical memory.\n"
                "3207167K bytes of flash memory at bootflash:.\n\nConfiguration register is 0x2102\n")
    if model.name.startswith("C9300"):
        return (f"Cisco IOS XE Software, Version {model.os_version}\n{head[0]}\n{head[1]}\n{head[2]}\n"
                f"{head[3]}\n\n\nCisco IOS-XE software, Copyright (c) 2005-2020 by cisco Systems, Inc.\n"
                "All rights reserved.\n\n\nROM: IOS-XE ROMMON\n"
                "BOOTLDR: System Bootstrap, Version 16.12.2r, RELEASE SOFTWARE (P)\n\n"
                f"{hostname(dev)} uptime is {up}\nUptime for this control processor is {up}\n"
                f"System returned to ROM by Reload Command\nSystem restarted at {booted}\n"
                "System image file is \"flash:packages.conf\"\nLast reload reason: Reload Command\n\n\n\n"
                + _EXPORT_NOTICE + "\n\n"
                f"cisco {model.name} (X86) processor with 1392780K/6147K bytes of memory.\n"
                f"Processor board ID {dev.serial}\n1 Virtual Ethernet interface\n"
                f"{physical} Gigabit Ethernet interfaces\n"
                "2048K bytes of non-volatile configuration memory.\n8388608K bytes of physical memory.\n\n"
                f"Base Ethernet MAC Address          : {colon_mac}\n"
                f"Model Number                       : {model.name}\n"
                f"System Serial Number               : {dev.serial}\n\n\n"
                "Switch Ports Model              SW Version        SW Image              Mode   \n"
                "------ ----- -----              ----------        ----------            ----   \n"
                f"*    1 56    {model.name:<18} {model.os_version:<17} {model.image:<21} INSTALL\n\n\n"
                "Configuration register is 0x102\n")
    return (f"{head[0]}\n{head[1]}\n{head[2]}\n{head[3]}\n\n"
            "ROM: Bootstrap program is C2960X boot loader\n"
            "BOOTLDR: C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(3r)E1, RELEASE SOFTWARE (fc1)\n\n"
            f"{hostname(dev)} uptime is {up}\nSystem returned to ROM by power-on\n"
            f"System restarted at {booted}\n"
            "System image file is \"flash:c2960x-universalk9-mz.152-7.E3/c2960x-universalk9-mz.152-7.E3.bin\"\n"
            "Last reload reason: power-on\n\n\n\n" + _EXPORT_NOTICE + "\n"
            f"cisco {model.name} (APM86XXX) processor (revision B0) with 524288K bytes of memory.\n"
            f"Processor board ID {dev.serial}\nLast reset from power-on\n1 Virtual Ethernet interface\n"
            f"{physical} Gigabit Ethernet interfaces\nThe password-recovery mechanism is enabled.\n\n"
            "512K bytes of flash-simulated non-volatile configuration memory.\n"
            f"Base ethernet MAC Address       : {colon_mac.upper()}\n"
            f"Model number                    : {model.name}\n"
            f"System serial number            : {dev.serial}\n\n\n"
            "Switch Ports Model                     SW Version            SW Image                 \n"
            "------ ----- -----                     ----------            ----------               \n"
            f"*    1 52    {model.name:<25} {model.os_version:<21} {model.image:<24}\n\n\n"
            "Configuration register is 0xF\n")


# -- show interfaces ----------------------------------------------------------------------------
def _state(port: Port) -> str:
    if port.shutdown:
        return "administratively down, line protocol is down"
    return "up, line protocol is up" if port.carrier else "down, line protocol is down"


def _queues_and_rates(c: Counters) -> list[str]:
    """The lines from the counters' last clearing to the input packets, as every interface prints them."""
    return ["  Last clearing of \"show interface\" counters never",
            "  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0",
            "  Queueing strategy: fifo", "  Output queue: 0/40 (size/max)",
            f"  5 minute input rate {c.in_bps} bits/sec, {c.in_pps} packets/sec",
            f"  5 minute output rate {c.out_bps} bits/sec, {c.out_pps} packets/sec",
            f"     {c.in_packets} packets input, {c.in_bytes} bytes, 0 no buffer"]


def show_interfaces(view: DeviceView) -> str:
    dev = view.device
    blocks = []
    for port in dev.ports.values():
        mac = mac_dotted(port_mac(dev, port) if not port.vlan_interface else dev.mac)
        c = counters(view, port)
        bw = port.bandwidth_kbps or port.speed_mbps * 1000
        connected = "" if port.vlan_interface or dev.model.routed else (
            " (connected)" if port.oper_up else " (disabled)" if port.shutdown else " (notconnect)")
        lines = [f"{port.name} is {_state(port)}{connected} "]
        if port.vlan_interface:
            lines.append(f"  Hardware is Ethernet SVI, address is {mac} (bia {mac})")
        elif dev.model.routed:
            lines.append(f"  Hardware is ISR4331-3x1GE, address is {mac} (bia {mac})")
        else:
            hw = "Ten Gigabit Ethernet" if port.speed_mbps >= 10000 else "Gigabit Ethernet"
            lines.append(f"  Hardware is {hw}, address is {mac} (bia {mac})")
        if port.description:
            lines.append(f"  Description: {port.description}")
        if port.address:
            lines.append(f"  Internet address is {port.address}")
        lines += [f"  MTU 1500 bytes, BW {bw} Kbit/sec, DLY 10 usec, ",
                  "     reliability 255/255, txload 1/255, rxload 1/255"]
        if port.vlan_interface:
            lines += ["  Encapsulation ARPA, loopback not set", "  Keepalive not supported ",
                      "  ARP type: ARPA, ARP Timeout 04:00:00",
                      "  Last input 00:00:00, output 00:00:00, output hang never", *_queues_and_rates(c),
                      f"     {c.out_packets} packets output, {c.out_bytes} bytes, 0 underruns",
                      "     0 output errors, 0 interface resets"]
            blocks.append("\n".join(lines))
            continue
        speed = f"{port.speed_mbps // 1000}Gb/s" if port.speed_mbps >= 10000 else "1000Mb/s"
        if port.oper_up:
            duplex = "  Full Duplex, 1000Mbps, link type is auto, media type is RJ45" if dev.model.routed \
                else f"  Full-duplex, {speed}, media type is 10/100/1000BaseTX"
            last = "  Last input 00:00:00, output 00:00:00, output hang never"
        else:
            duplex = "  Full Duplex, 1000Mbps, link type is auto, media type is RJ45" if dev.model.routed \
                else "  Auto-duplex, Auto-speed, media type is 10/100/1000BaseTX"
            last = "  Last input never, output never, output hang never"
        lines += ["  Encapsulation ARPA, loopback not set", "  Keepalive set (10 sec)", duplex,
                  "  input flow-control is off, output flow-control is unsupported ",
                  "  ARP type: ARPA, ARP Timeout 04:00:00", last, *_queues_and_rates(c),
                  f"     Received {c.in_bcast} broadcasts ({c.in_mcast} IP multicasts)",
                  "     0 runts, 0 giants, 0 throttles ",
                  "     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored",
                  f"     0 watchdog, {c.in_mcast} multicast, 0 pause input",
                  f"     {c.out_packets} packets output, {c.out_bytes} bytes, 0 underruns",
                  "     0 output errors, 0 collisions, 1 interface resets",
                  "     0 unknown protocol drops",
                  "     0 babbles, 0 late collision, 0 deferred",
                  "     0 lost carrier, 0 no carrier, 0 pause output",
                  "     0 output buffer failures, 0 output buffers swapped out"]
        blocks.append("\n".join(lines))
    return "\n".join(blocks) + "\n"


# -- neighbours ---------------------------------------------------------------------------------
def show_lldp(view: DeviceView) -> str:
    entries = []
    for port, ad in view.lldp:
        enabled = "R" if ad.router else "B"
        lines = ["------------------------------------------------", f"Local Intf: {cisco_short(port.name)}",
                 f"Chassis id: {mac_dotted(ad.chassis_mac)}", f"Port id: {ad.port_id}",
                 f"Port Description: {ad.port_description}", f"System Name: {ad.system_name}", "",
                 "System Description: ", *ad.description, "",
                 f"Time remaining: {view.rng.randint(90, 120)} seconds",
                 "System Capabilities: B,R", f"Enabled Capabilities: {enabled}"]
        if ad.mgmt_address:
            lines += ["Management Addresses:", f"    IP: {ad.mgmt_address}"]
        else:
            lines.append("Management Addresses - not advertised")
        lines += ["Auto Negotiation - supported, enabled", "Physical media capabilities:",
                  "    1000baseT(FD)", "    100base-TX(FD)", "Media Attachment Unit type: 30",
                  "Vlan ID: - not advertised", ""]
        entries.append("\n".join(lines))
    return "\n".join(entries) + f"\nTotal entries displayed: {len(view.lldp)}\n"


def show_cdp(view: DeviceView) -> str:
    entries = []
    for port, ad in view.cdp:
        caps = "Router Switch IGMP" if ad.router else "Switch IGMP"
        platform = f"cisco {ad.model}"
        lines = ["-------------------------", f"Device ID: {ad.system_name}", "Entry address(es): "]
        if ad.mgmt_address:
            lines.append(f"  IP address: {ad.mgmt_address}")
        remote_port = _long(ad.port_id)
        lines += [f"Platform: {platform},  Capabilities: {caps} ",
                  f"Interface: {port.name},  Port ID (outgoing port): {remote_port}",
                  f"Holdtime : {view.rng.randint(120, 179)} sec", "", "Version :", *ad.description, "",
                  "advertisement version: 2", "VTP Management Domain: ''", "Native VLAN: 1", "Duplex: full",
                  "Management address(es): "]
        if ad.mgmt_address:
            lines.append(f"  IP address: {ad.mgmt_address}")
        lines.append("")
        entries.append("\n".join(lines))
    return "\n".join(entries) + ("\n" if entries else "")


def _long(short: str) -> str:
    """CDP prints the remote port in full (``GigabitEthernet1/0/1``)."""
    for long, abbreviation in (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi")):
        if short.startswith(abbreviation) and short[len(abbreviation)].isdigit():
            return long + short[len(abbreviation):]
    return short


# -- show running-config ------------------------------------------------------------------------
def _train(version: str) -> str:
    """``16.9.4`` -> ``16.9``; ``15.2(7)E3`` -> ``15.2`` (the ``version`` line of a config)."""
    return re.match(r"\d+\.\d+", version).group()


def running_config(view: DeviceView) -> str:
    dev, rng = view.device, view.rng
    changed = view.now - dt.timedelta(days=9, minutes=17)
    lines = ["Building configuration...", "", "Current configuration : {size} bytes", "!",
             f"! Last configuration change at {changed:%H:%M:%S} CST {changed:%a %b %-d %Y} by netadmin", "!",
             f"version {_train(dev.model.os_version)}",
             "service timestamps debug datetime msec localtime", "service timestamps log datetime msec localtime",
             "service password-encryption", "!", f"hostname {hostname(dev)}", "!", "boot-start-marker",
             "boot-end-marker", "!"]
    for vrf in view.vrfs:
        lines += [f"vrf definition {vrf}", f" rd 65010:{100 + len(vrf)}", " !", " address-family ipv4",
                  " exit-address-family", "!"]
    lines += ["logging buffered 64000 informational",
              f"enable secret 5 $1${fake_secret(rng, B64, 4)}${fake_secret(rng, B64, 22)}", "!",
              "aaa new-model", "aaa authentication login default local", "!", "clock timezone CST 8 0", "!",
              f"ip domain name {DNS_DOMAIN}", "!",
              f"username netadmin privilege 15 secret 9 $9${fake_secret(rng, B64, 14)}${fake_secret(rng, B64, 43)}",
              "!"]
    if not dev.model.routed:
        for vlan in configured_vlans(dev):
            lines += [f"vlan {vlan}", f" name VLAN{vlan:04d}", "!"]
    for port in dev.ports.values():
        lines.append(f"interface {port.name}")
        if port.description:
            lines.append(f" description {port.description}")
        if port.bandwidth_kbps:
            lines.append(f" bandwidth {port.bandwidth_kbps}")
        if port.access_vlan:
            lines += [f" switchport access vlan {port.access_vlan}", " switchport mode access"]
        elif port.trunk:
            lines.append(" switchport mode trunk")
        if port.vrf:
            lines.append(f" vrf forwarding {port.vrf}")
        if port.address:
            ip, netmask = mask(port.address)
            lines.append(f" ip address {ip} {netmask}")
        elif dev.model.routed and not port.vlan_interface:
            lines.append(" no ip address")
        if port.nat_inside:
            lines.append(" ip nat inside")
        if port.nat_outside:
            lines.append(" ip nat outside")
        if port.shutdown:
            lines.append(" shutdown")
        if dev.model.routed and not port.vlan_interface:
            lines.append(" negotiation auto")
        lines.append("!")
    for nat in dev.static_nats:
        lines.append(f"ip nat inside source static tcp {nat.inside_address} {nat.port} "
                     f"{nat.global_address} {nat.port} extendable")
    if dev.nat_overload:
        lines += ["access-list 10 permit 10.0.0.0 0.255.255.255",
                  f"ip nat inside source list 10 interface {dev.nat_overload} overload"]
    if view.default_route:
        lines.append(f"ip route 0.0.0.0 0.0.0.0 {view.default_route}")
    lines += ["ip ssh version 2", "!", f"snmp-server community {fake_secret(rng, ALNUM, 12)} RO 99",
              f"snmp-server location {dev.site}", "snmp-server contact noc@xiyue.gov.cn", "lldp run", "!",
              "line con 0", " exec-timeout 10 0", " logging synchronous", "line vty 0 4", " exec-timeout 10 0",
              " transport input ssh", "!", "ntp server 172.16.255.1", "!", "end", ""]
    text = "\n".join(lines)
    return text.replace("{size}", str(len(text.encode())))
