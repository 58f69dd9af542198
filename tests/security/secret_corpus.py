"""A corpus of secret-bearing configuration lines, six platforms, each secret unique and recognisable.

Each platform's text is written as its devices show it (blocks indented as on the device);
every ``§`` stands for a secret value and is replaced by a unique token such as
``S3cIOS017z`` (wrapped in the platform's own encoding where it has one: ``%^%#...%^%#``,
``$c$3$...==``, ``"$9$..."``). A test then looks for the bare tokens: any part of a
secret left in clear shows up. Sources for the command forms are listed in
``collectors/redact.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

PLACEHOLDER = "§"

IOS = """\
enable secret 9 $9$§
enable password 7 §
enable algorithm-type scrypt secret §
username admin privilege 15 secret 9 $9$§
username backup password 0 § §
username ops algorithm-type sha256 secret §
snmp-server community § RO 10
snmp-server community § RW
snmp-server host 10.0.0.5 version 2c §
snmp-server host 10.0.0.6 informs version 2c §
snmp-server user mon NMS v3 auth sha § priv aes 128 §
snmp-server user mon2 NMS v3 auth md5 § priv 3des §
tacacs-server host 10.0.0.7 key 7 §
tacacs server TAC1
 address ipv4 10.0.0.8
 key 7 §
radius server RAD1
 address ipv4 10.0.0.9 auth-port 1812 acct-port 1813
 key 0 §
 pac key 7 §
aaa group server radius GRP
 server-private 10.0.0.10 auth-port 1812 key 7 §
radius-server key §
aaa server radius dynamic-author
 client 10.0.0.11 server-key 7 §
 server-key §
key chain OSPF-KEYS
 key 1
  key-string 7 §
key config-key password-encrypt §
interface GigabitEthernet0/9
 description secret-lab uplink
 ip ospf authentication-key 7 §
 ip ospf message-digest-key 1 md5 7 §
 ipv6 ospf authentication ipsec spi 256 md5 §
 ospfv3 encryption ipsec spi 257 esp aes-cbc 128 § sha1 §
 standby 1 authentication md5 key-string 7 §
 standby 2 authentication text §
 standby 3 authentication §
 vrrp 3 authentication text §
 glbp 4 authentication text §
 glbp 5 authentication md5 key-string 7 §
 isis password § level-1
 ip nhrp authentication §
 ip rsvp authentication key 7 §
 ppp chap password 7 §
 ppp pap sent-username branch password 0 §
router isis CORE
 area-password §
 domain-password §
router eigrp NAMED
 address-family ipv4 unicast autonomous-system 100
  af-interface default
   authentication mode hmac-sha-256 0 §
router bgp 65001
 neighbor 10.9.9.9 password 7 §
mpls ldp neighbor 10.8.8.8 password 7 §
mpls ldp password fallback 7 §
ip msdp password peer 10.7.7.7 7 §
crypto isakmp key 6 § address 203.0.113.9
crypto keyring KR
 pre-shared-key address 203.0.113.20 key §
crypto ikev2 keyring KR2
 peer BRANCH
  address 203.0.113.10
  pre-shared-key local §
  pre-shared-key remote §
crypto isakmp client configuration group REMOTE
 key §
crypto ikev2 profile PROF
 authentication local pre-share key 0 §
 authentication remote pre-share key §
crypto ipsec client ezvpn EZ
 group BRANCH key 6 §
crypto map MANUAL 10 ipsec-manual
 set session-key inbound esp 300 cipher § authenticator §
ntp authentication-key 1 md5 § 7
vpdn-group L2
 l2tp tunnel password 7 §
dot11 ssid CITY-WIFI
 wpa-psk ascii 7 §
wlan CORP 1 CORP
 security wpa psk set-key ascii 0 §
archive
 path scp://backup:§@10.0.0.50/configs/
ip ftp password 7 §
ip http client password 0 §
line con 0
 password 0 § §
line vty 0 4
 password 7 §
"""

NXOS = """\
username admin password 5 $5$§  role network-admin
username ops password 0 § role network-operator
snmp-server user admin network-admin auth md5 0x§ priv 0x§ localizedkey
snmp-server user ops network-operator auth sha § priv aes-128 §
snmp-server community § group network-operator
snmp-server host 10.0.0.5 traps version 2c §
tacacs-server key 7 "§"
tacacs-server host 10.0.0.7 key 7 "§"
radius-server key 7 "§"
radius-server host 10.0.0.9 key 7 "§" authentication accounting
ldap-server host 10.0.0.12 rootDN "cn=admin" password 7 § port 389
key chain KC
  key 1
    key-string 7 §
ntp authentication-key 2 md5 § 7
interface Ethernet1/9
  description password-policy lab
  ip ospf authentication-key 3 §
  ip ospf message-digest-key 1 md5 3 §
  ip pim hello-authentication ah-md5 3 §
  bfd authentication keyed-sha1 key-id 1 key §
  hsrp 10
    authentication text §
  hsrp 11
    authentication md5 key-string 7 §
  vrrp 12
    authentication text §
router bgp 65010
  neighbor 10.2.0.9
    password 3 §
"""

EOS = """\
enable password sha512 $6$§
aaa root secret sha512 $6$§
username admin privilege 15 role network-admin secret sha512 $6$§
username ops secret 0 §
snmp-server community § ro
snmp-server user mon NMS v3 auth sha256 § priv aes256 §
snmp-server host 10.0.0.5 version 2c §
radius-server key 7 §
radius-server host 10.0.0.9 vrf MGMT key 7 §
tacacs-server host 10.0.0.7 key 7 §
ntp authentication-key 1 md5 7 §
management security
   session shared-secret profile PROF
      secret 1 7 § receive-lifetime infinite transmit-lifetime infinite
ip security
   profile PROF
      shared-key 7 §
mac security
   profile MACSEC
      key 1234abcd 7 §
interface Ethernet9
   description key-server uplink
   ip ospf authentication-key 0 §
   ip ospf message-digest-key 1 sha256 7 §
   isis authentication key 0 §
   vrrp 1 peer authentication text §
   vrrp 2 peer authentication ietf-md5 key-string 7 §
router isis CORE
   authentication key 0 § level-2
router bgp 65020
   neighbor 10.3.0.9 password 7 §
   neighbor SPINES password 0 §
"""

HUAWEI = """\
 super password level 15 cipher %^%#§%^%#
aaa
 local-user admin9 password irreversible-cipher $1a$§$
 local-user netops password cipher %@%@§%@%@
 local-user old password simple §
interface Vlanif99
 description cipher-suite lab
 ospf authentication-mode md5 1 cipher %^%#§%^%#
 ospf authentication-mode md5 2 plain §
 ospf authentication-mode hmac-sha256 3 cipher %^%#§%^%#
 ospf authentication-mode md5 4 %^%#§%^%#
 ospf authentication-mode simple plain §
 isis authentication-mode md5 plain §
 isis authentication-mode hmac-sha256 key-id 5 cipher %^%#§%^%#
 vrrp vrid 1 authentication-mode simple plain §
 vrrp vrid 2 authentication-mode md5 §
 rip authentication-mode md5 usual cipher %^%#§%^%#
 nhrp authentication cipher %^%#§%^%#
 ppp chap password cipher %^%#§%^%#
 ppp pap local-user branch password simple §
ospf 1
 area 0.0.0.0
  authentication-mode md5 1 plain §
isis 1
 area-authentication-mode md5 plain §
 domain-authentication-mode md5 cipher %^%#§%^%#
bgp 65030
 peer 10.4.0.2 password cipher %^%#§%^%#
 peer 10.4.0.3 password simple §
mpls ldp
 md5-password cipher 10.4.9.9 %^%#§%^%#
 md5-password plain 10.4.9.8 §
 ntp-service authentication-keyid 1 authentication-mode hmac-sha256 cipher %^%#§%^%#
 ntp-service authentication-keyid 2 authentication-mode md5 §
radius-server template default
 radius-server shared-key cipher %^%#§%^%#
 radius-server authentication 10.0.0.9 1812 shared-key cipher %^%#§%^%#
hwtacacs-server template ht
 hwtacacs-server shared-key cipher %^%#§%^%#
snmp-agent community read cipher %^%#§%^%#
snmp-agent community write §
snmp-agent usm-user v3 nms authentication-mode sha cipher %^%#§%^%# privacy-mode aes128 cipher %^%#§%^%#
snmp-agent target-host trap address udp-domain 10.0.0.5 params securityname cipher %^%#§%^%# v2c
ike peer BRANCH
 pre-shared-key cipher %^%#§%^%#
ipsec sa SA1
 sa string-key inbound esp cipher %^%#§%^%#
l2tp-group 1
 tunnel password cipher %^%#§%^%#
wlan
 security-profile name SP
  security wpa2 psk pass-phrase %^%#§%^%# aes
keychain KC mode absolute
 key-id 1
  key-string cipher %^%#§%^%#
user-interface vty 0 4
 set authentication password cipher %$%$§%$%$
 set save-configuration backup-to-server server 10.0.0.50 transport-type sftp user bk password cipher %^%#§%^%#
"""

COMWARE = """\
local-user admin9 class manage
 password hash $h$6$§==
local-user guest9 class network
 password cipher $c$3$§==
 password simple §
super password role network-admin simple §
super password role level-3 hash $h$6$§==
interface Vlan-interface99
 description simple-mode lab
 ospf authentication-mode md5 1 cipher $c$3$§==
 ospf authentication-mode hmac-sha256 2 plain §
 ospf authentication-mode simple plain §
 isis authentication-mode md5 plain §
 vrrp vrid 1 authentication-mode simple plain §
 vrrp vrid 2 authentication-mode md5 cipher $c$3$§==
ospf 1
 area 0.0.0.0
  authentication-mode md5 1 plain §
isis 1
 area-authentication-mode md5 plain §
 domain-authentication-mode md5 cipher $c$3$§==
bgp 65040
 peer 10.5.0.2 password cipher $c$3$§==
 peer 10.5.0.3 password simple §
mpls ldp
 md5-authentication 10.5.9.9 plain §
radius scheme rad
 primary authentication 10.0.0.9 key cipher $c$3$§==
 key accounting simple §
 key authentication §
hwtacacs scheme ht
 key authentication simple §
radius dynamic-author server
 client ip 10.0.0.11 key simple §
snmp-agent community read simple §
snmp-agent community write cipher $c$3$§==
snmp-agent community read §
snmp-agent community simple write §
snmp-agent usm-user v3 nms nmsgroup simple authentication-mode sha § privacy-mode aes128 §
snmp-agent usm-user v3 nms2 nmsgroup cipher authentication-mode sha $c$3$§== privacy-mode aes128 $c$3$§==
snmp-agent usm-user v3 nms3 nmsgroup authentication-mode sha § privacy-mode aes128 §
snmp-agent target-host trap address udp-domain 10.0.0.5 params securityname § v2c
ike keychain kc
 pre-shared-key address 203.0.113.1 255.255.255.255 key cipher $c$3$§==
 pre-shared-key hostname peer2 key simple §
ipsec policy P 1 manual
 sa string-key outbound esp simple §
l2tp-group 1 mode lac
 tunnel password simple §
 ntp-service authentication-keyid 1 authentication-mode md5 simple §
wlan service-template CORP
 preshared-key pass-phrase simple §
 preshared-key raw-key cipher $c$3$§==
line vty 0 63
 set authentication password hash $h$6$§==
"""

JUNOS = """\
system {
    root-authentication {
        encrypted-password "$6$§"; ## SECRET-DATA
    }
    login {
        user ops9 {
            class super-user;
            authentication {
                encrypted-password "$6$§"; ## SECRET-DATA
            }
        }
    }
    tacplus-server {
        10.0.0.7 secret "$9$§"; ## SECRET-DATA
    }
    radius-server {
        10.0.0.9 secret "$9$§"; ## SECRET-DATA
    }
    ntp {
        authentication-key 1 type md5 value "$9$§"; ## SECRET-DATA
    }
}
protocols {
    ospf {
        area 0.0.0.9 {
            interface ge-0/0/9.0 {
                authentication {
                    md5 1 key "$9$§"; ## SECRET-DATA
                }
            }
            interface ge-0/0/8.0 {
                authentication {
                    simple-password "$9$§"; ## SECRET-DATA
                }
            }
        }
    }
    isis {
        level 2 authentication-key "$9$§"; ## SECRET-DATA
        interface ge-0/0/7.0 {
            level 2 hello-authentication-key "$9$§"; ## SECRET-DATA
        }
    }
    bgp {
        group EBGP9 {
            authentication-key "$9$§"; ## SECRET-DATA
        }
    }
    ldp {
        session 10.6.9.9 {
            authentication-key "$9$§"; ## SECRET-DATA
        }
    }
    msdp {
        peer 10.6.7.7 {
            authentication-key "$9$§"; ## SECRET-DATA
        }
    }
    rsvp {
        interface ge-0/0/9.0 {
            authentication-key "$9$§"; ## SECRET-DATA
        }
    }
}
security {
    ike {
        policy IKE9 {
            pre-shared-key ascii-text "$9$§"; ## SECRET-DATA
        }
    }
    authentication-key-chains {
        key-chain KC9 {
            key 1 {
                secret "$9$§"; ## SECRET-DATA
                start-time "2026-1-1.00:00:00 +0000";
            }
        }
    }
}
snmp {
    community § {
        authorization read-only;
    }
    v3 {
        usm {
            local-engine {
                user nms9 {
                    authentication-sha {
                        authentication-key "$9$§"; ## SECRET-DATA
                    }
                    privacy-aes128 {
                        privacy-key "$9$§"; ## SECRET-DATA
                    }
                }
            }
        }
    }
}
access {
    profile L2TP9 {
        client lac1 {
            l2tp {
                shared-secret "$9$§"; ## SECRET-DATA
            }
            chap-secret "$9$§"; ## SECRET-DATA
        }
    }
}
set system root-authentication encrypted-password "$6$§"
set system login user admin9 authentication plain-text-password-value §
set snmp community § authorization read-only
set snmp v3 snmp-community idx9 community-name "$9$§"
set protocols bgp group IBGP9 authentication-key "$9$§"
set protocols ospf area 0.0.0.9 interface ge-0/0/6.0 authentication md5 2 key "$9$§"
set security ike policy P9 pre-shared-key hexadecimal "$9$§"
set interfaces ge-0/0/5 unit 0 family inet address 10.6.5.1/30 vrrp-group 1 authentication-key §
set interfaces ge-0/0/4 unit 0 ppp-options pap local-password §
set snmp v3 usm local-engine user nms8 authentication-sha256 authentication-password §
set system archival configuration archive-sites "scp://backup:§@10.0.0.50/configs"
"""

TEXTS = {
    "cisco_ios": IOS,
    "cisco_nxos": NXOS,
    "arista_eos": EOS,
    "huawei": HUAWEI,
    "hp_comware": COMWARE,
    "juniper_junos": JUNOS,
}
_CODES = {"cisco_ios": "IOS", "cisco_nxos": "NXS", "arista_eos": "EOS", "huawei": "HWI",
          "hp_comware": "H3C", "juniper_junos": "JUN"}


@dataclass(frozen=True)
class Corpus:
    """One platform's configuration lines with their secrets filled in."""

    platform: str
    text: str
    secrets: tuple[str, ...]
    #: line number (0-based) -> the secrets on that line
    secret_lines: dict[int, tuple[str, ...]]


def corpus(platform: str, prefix: str = "S3c") -> Corpus:
    """The platform's corpus with every ``§`` replaced by a unique token (``<prefix><code><n>z``)."""
    counter = 0
    lines, secret_lines, secrets = [], {}, []
    for number, template in enumerate(TEXTS[platform].splitlines()):
        parts = template.split(PLACEHOLDER)
        tokens = []
        for _ in parts[1:]:
            counter += 1
            tokens.append(f"{prefix}{_CODES[platform]}{counter:03d}z")
        line = parts[0] + "".join(token + rest for token, rest in zip(tokens, parts[1:], strict=False))
        lines.append(line)
        if tokens:
            secret_lines[number] = tuple(tokens)
            secrets += tokens
    return Corpus(platform, "\n".join(lines) + "\n", tuple(secrets), secret_lines)


def all_corpora(prefix: str = "S3c") -> dict[str, Corpus]:
    return {platform: corpus(platform, prefix) for platform in TEXTS}
