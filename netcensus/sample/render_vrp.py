"""Huawei VRP 5 outputs (AR routers, S-series switches, USG firewalls), as real devices print them.

The ntc-templates ``huawei_vrp`` templates reject lines they do not know, so every
line written here is one that real VRP 5 output has (see the fixtures).
"""

from __future__ import annotations

import datetime as dt

from netcensus.sample.city import Port
from netcensus.sample.render_common import (
    ALNUM,
    HUAWEI_CIPHER,
    DeviceView,
    configured_vlans,
    counters,
    fake_secret,
    hostname,
    mac_dashed,
    port_mac,
    system_description,
    uptime_words,
    vrp_interface_tail,
    vrp_states,
)


def outputs(view: DeviceView) -> dict[str, str]:
    """Every command of the ``huawei`` platform, keyed as in ``core.platforms``."""
    return {
        "display version": display_version(view),
        "display esn": display_esn(view),
        "display interface": display_interface(view),
        "display lldp neighbor": display_lldp(view),
        "display current-configuration": current_configuration(view),
    }


def _time(view: DeviceView, offset_minutes: int = 0) -> str:
    """The device clock ``offset_minutes`` before the capture, as VRP prints it."""
    return (view.now - dt.timedelta(minutes=offset_minutes)).strftime("%Y-%m-%d %H:%M:%S")


# -- display version ----------------------------------------------------------------------------
def display_version(view: DeviceView) -> str:
    dev, model = view.device, view.device.model
    head = system_description(dev)
    up = uptime_words(view.uptime, years=False)
    if model.kind == "switch":
        return (f"{head[0]}\n{head[1]}\n{head[2]}\nHUAWEI {model.name} Routing Switch uptime is {up}\n\n"
                f"ES5D2T48Q002 0(Master) : uptime is {up}\n"
                "DDR             Memory Size : 1024    M bytes\n"
                "FLASH Total     Memory Size : 512     M bytes\n"
                "FLASH Available Memory Size : 344     M bytes\n"
                "Pcb           Version   : VER.B\n"
                "BootROM       Version   : 020b.0001\n"
                "BootLoad      Version   : 020b.0001\n"
                "CPLD          Version   : 0107\n"
                f"Software      Version   : VRP (R) Software, Version 5.170 ({model.os_version})\n")
    if model.kind == "firewall":
        return (f"{head[0]}\n{head[1]}\n{head[2]}\nHUAWEI {model.name} uptime is {up}\n\n"
                f"MPU 0(Master) : uptime is {up}\nSDRAM Memory Size    : 8192    M bytes\n"
                "Flash 0 Memory Size  : 4096    M bytes\nMPU version information :\n"
                f"1. PCB      Version  : H8MPUA VER.B\n2. Board    Type     : {model.name}\n")
    return (f"{head[0]}\n{head[1]}\n{head[2]}\nHuawei {model.name} Router uptime is {up}\n"
            "BKP 0 version information:\n"
            "1. PCB      Version  : AR01BAK2B VER.A\n"
            "2. If Supporting PoE : No\n"
            f"3. Board    Type     : {model.name}\n"
            "4. MPU Slot Quantity : 1\n"
            "5. LPU Slot Quantity : 8\n\n"
            f"MPU 11(Master) : uptime is {up}\n"
            "SDRAM Memory Size    : 8192    M bytes\n"
            "Flash 0 Memory Size  : 2048    M bytes\n"
            "Flash 1 Memory Size  : 32      M bytes\n"
            "MPU version information :\n"
            "1. PCB      Version  : SRU-400H VER.A\n"
            "2. MAB      Version  : 1\n"
            "3. Board    Type     : SRU-400H\n"
            "4. CPLD0    Version  : 124\n"
            "5. BootROM  Version  : 1\n")


def display_esn(view: DeviceView) -> str:
    """The equipment serial number: per slot on S switches, of the master board elsewhere."""
    where = "slot 0" if view.device.model.kind == "switch" else "master"
    return f"ESN of {where}: {view.device.serial}\n"


# -- display interface --------------------------------------------------------------------------
def display_interface(view: DeviceView) -> str:
    dev = view.device
    blocks = []
    for port in dev.ports.values():
        link, protocol = vrp_states(port)
        c = counters(view, port)
        mac = mac_dashed(dev.mac if port.vlan_interface else port_mac(dev, port))
        lines = [f"{port.name} current state : {link}", f"Line protocol current state : {protocol}"]
        if port.oper_up:
            lines.append(f"Last line protocol up time : {_time(view, 60 * 24 * 3)}")
        lines.append(f"Description:{port.description}")
        if port.vlan_interface or dev.model.routed:
            lines.append("Route Port,The Maximum Transmit Unit is 1500")
            if port.address:
                lines.append(f"Internet Address is {port.address}")
            else:
                lines.append("Internet protocol processing : disabled")
        elif port.trunk:
            lines.append("Switch Port, PVID :    1, TPID : 8100(Hex), The Maximum Frame Length is 9216")
        else:
            lines.append(f"Switch Port, PVID : {port.access_vlan or 1:>4}, TPID : 8100(Hex), "
                         "The Maximum Frame Length is 9216")
        lines.append(f"IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is {mac}")
        if port.vlan_interface:
            lines += [f"Current system time: {_time(view)}+08:00",
                      "    Input bandwidth utilization  : --", "    Output bandwidth utilization : --", ""]
            blocks.append("\n".join(lines))
            continue
        up_time = _time(view, 60 * 24 * 3) if port.oper_up else "-"
        lines += [f"Last physical up time   : {up_time}", f"Last physical down time : {_time(view, 60 * 24 * 40)}",
                  f"Current system time: {_time(view)}",
                  "Port Mode: COMMON COPPER" if port.speed_mbps < 10000 else "Port Mode: COMMON FIBER",
                  f"Speed : {port.speed_mbps if port.oper_up else 1000},  Loopback: NONE",
                  "Duplex: FULL,  Negotiation: ENABLE", "Mdi   : AUTO,  Clock   : -",
                  f"Last 300 seconds input rate {c.in_bps} bits/sec, {c.in_pps} packets/sec",
                  f"Last 300 seconds output rate {c.out_bps} bits/sec, {c.out_pps} packets/sec",
                  f"Input peak rate {c.in_bps * 3} bits/sec,Record time: {_time(view, 60 * 30)}",
                  f"Output peak rate {c.out_bps * 3} bits/sec,Record time: {_time(view, 60 * 30)}", "",
                  f"Input:  {c.in_packets} packets, {c.in_bytes} bytes",
                  f"  Unicast:{c.in_packets - c.in_mcast - c.in_bcast:>19},  Multicast:{c.in_mcast:>20}",
                  f"  Broadcast:{c.in_bcast:>17},  Jumbo:{0:>24}",
                  f"  Discard:{0:>19},  Total Error:{0:>18}", "",
                  "  CRC:                      0,  Giants:                      0",
                  "  Jabbers:                  0,  Throttles:                   0",
                  "  Runts:                    0,  Symbols:                     0",
                  "  Ignoreds:                 0,  Frames:                      0", "",
                  f"Output:  {c.out_packets} packets, {c.out_bytes} bytes",
                  f"  Unicast:{c.out_packets:>19},  Multicast:{0:>20}",
                  f"  Broadcast:{0:>17},  Jumbo:{0:>24}",
                  f"  Discard:{0:>19},  Total Error:{0:>18}", "",
                  "  Collisions:               0,  ExcessiveCollisions:         0",
                  "  Late Collisions:          0,  Deferreds:                   0", "",
                  "    Input bandwidth utilization threshold : 100.00%",
                  "    Output bandwidth utilization threshold: 100.00%",
                  f"    Input bandwidth utilization  : {_utilisation(c.in_bps, port)}",
                  f"    Output bandwidth utilization : {_utilisation(c.out_bps, port)}", ""]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _utilisation(bps: int, port: Port) -> str:
    rate = port.speed_mbps * 1_000_000
    return f"{100 * bps / rate:.2f}%" if bps else "   0%"


# -- display lldp neighbor ----------------------------------------------------------------------
def display_lldp(view: DeviceView) -> str:
    entries = []
    for port, ad in view.lldp:
        caps = "bridge router"
        lines = [f"{port.name} has 1 neighbor(s):", "", "Neighbor index :1", "Chassis type   :MAC address",
                 f"Chassis ID     :{mac_dashed(ad.chassis_mac)}", "Port ID type   :Interface name",
                 f"Port ID        :{ad.port_id}", f"Port description    :{ad.port_description}",
                 f"System name         :{ad.system_name}", f"System description  :{ad.description[0]}",
                 *ad.description[1:],
                 f"System capabilities supported   :{caps}", f"System capabilities enabled     :{caps}"]
        if ad.mgmt_address:
            lines += ["Management address type  :ipv4", f"Management address value :{ad.mgmt_address}",
                      "OID  :0.6.15.43.6.1.4.1.2011.5.25.41.1.2.1.1.1."]
        lines += [f"Expired time   :{view.rng.randint(90, 120)}s", "", "Port VLAN ID(PVID)  :1",
                  "VLAN name of VLAN  1:VLAN 0001", "", "Auto-negotiation supported    :Yes",
                  "Auto-negotiation enabled      :Yes", "OperMau   :speed(1000)/duplex(Full)", "",
                  "Power port class            :PD", "PSE power supported         :No",
                  "PSE power enabled           :No", "PSE pairs control ability   :No",
                  "Power pairs                 :Unknown", "Port power classification   :Unknown", "",
                  "Link aggregation supported:Yes", "Link aggregation enabled :No",
                  "Aggregation port ID      :0", "", "Maximum frame Size       :9216", ""]
        entries.append("\n".join(lines))
    return "\n".join(entries)


# -- display current-configuration --------------------------------------------------------------
def current_configuration(view: DeviceView) -> str:
    dev, rng = view.device, view.rng
    lines = [f"!Software Version {dev.model.os_version}",
             f"!Last configuration was updated at {_time(view, 60 * 24 * 9)}+08:00 by netadmin",
             f"!Last configuration was saved at {_time(view, 60 * 24 * 9)}+08:00 by netadmin", "#",
             f" sysname {hostname(dev)}", "#", " clock timezone BJ add 08:00:00", "#"]
    vlans = configured_vlans(dev)
    if not dev.model.routed and vlans:
        lines += [f"vlan batch {' '.join(str(v) for v in vlans)}", "#"]
    for vrf in view.vrfs:
        lines += [f"ip vpn-instance {vrf}", " ipv4-family", f"  route-distinguisher 65010:{100 + len(vrf)}", "#"]
    lines += ["acl number 2000", " rule 5 permit source 10.0.0.0 0.255.255.255", "#", "aaa",
              f" local-user admin password irreversible-cipher $1c${fake_secret(rng, HUAWEI_CIPHER, 52)}$",
              " local-user admin privilege level 15", " local-user admin service-type ssh", "#"]
    for port in dev.ports.values():
        lines.append(f"interface {port.name}")
        if port.description:
            lines.append(f" description {port.description}")
        if port.access_vlan and not dev.model.routed:
            lines += [" port link-type access", f" port default vlan {port.access_vlan}"]
        elif port.trunk and not dev.model.routed:
            lines += [" port link-type trunk", " port trunk allow-pass vlan 2 to 4094"]
        lines += [*vrp_interface_tail(dev, port, bandwidth_unit_kbps=1000), "#"]
    lines += [" lldp enable", "#", "snmp-agent",
              f"snmp-agent community read cipher %^%#{fake_secret(rng, ALNUM, 40)}%^%#",
              "snmp-agent sys-info version v2c v3", "#", " stelnet server enable", "#"]
    if view.default_route:
        lines += [f"ip route-static 0.0.0.0 0.0.0.0 {view.default_route}", "#"]
    lines += ["user-interface con 0", " authentication-mode aaa", "user-interface vty 0 4",
              " authentication-mode aaa", " protocol inbound ssh", "#", "return", ""]
    return "\n".join(lines)
