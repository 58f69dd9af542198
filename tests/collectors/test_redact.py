"""Secret redaction on real-looking configuration snippets of every platform.

Each snippet marks nothing: the test lists the secret values that appear in it and
checks that (1) none survives, (2) every line is still there, in order, and (3)
every line that held no secret is byte-for-byte unchanged, so interfaces and
addresses still parse.
"""

from __future__ import annotations

import pytest

import collectors.redact as redact_module
from collectors.redact import REDACTED, redact_config

IOS = """\
Building configuration...
!
hostname city-core1
!
enable secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM
enable password 7 0822455D0A16
!
username admin privilege 15 secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0
username backup password 7 094F471A1A0A
username ops algorithm-type scrypt secret $9$Wq9Yo0e2c1Xk$Zt7aDd9RkHcC2Bx
!
key chain OSPF-KEYS
 key 1
  key-string 7 13061E010803557878
!
interface GigabitEthernet0/1
 description password reset portal uplink
 ip address 10.1.2.1 255.255.255.252
 ip ospf authentication-key 7 045802150C2E
 ip ospf message-digest-key 1 md5 7 110A1016141D5A5E57
 standby 1 authentication md5 key-string 7 0205114E0A1A
 standby 2 authentication Hsrp9Text
!
router bgp 65001
 neighbor 10.9.9.9 password 7 02050D480809
!
snmp-server community Publ1cRO RO 10
snmp-server community Pr1vRW RW
snmp-server host 10.0.0.5 version 2c TrapComm9
snmp-server user monitor NMS v3 auth sha AuthKey123 priv aes 128 PrivKey456
tacacs-server host 10.0.0.7 key 7 15020A1F173D24362C
tacacs server TAC1
 address ipv4 10.0.0.8
 key 7 070C285F4D06
radius-server key Rad1usK3y
crypto isakmp key 6 IsakmpPsk9 address 203.0.113.9
crypto ikev2 keyring KR
 peer BRANCH
  address 203.0.113.10
  pre-shared-key local Ikev2Local
  pre-shared-key remote Ikev2Remote
ntp authentication-key 1 md5 NtpKey77 7
line vty 0 4
 password 7 104D000A0618
 transport input ssh
end
"""
IOS_SECRETS = [
    "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM", "0822455D0A16",
    "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "094F471A1A0A", "$9$Wq9Yo0e2c1Xk$Zt7aDd9RkHcC2Bx",
    "13061E010803557878", "045802150C2E", "110A1016141D5A5E57", "0205114E0A1A", "Hsrp9Text",
    "02050D480809", "Publ1cRO", "Pr1vRW", "TrapComm9", "AuthKey123", "PrivKey456",
    "15020A1F173D24362C", "070C285F4D06", "Rad1usK3y", "IsakmpPsk9", "Ikev2Local", "Ikev2Remote",
    "NtpKey77", "104D000A0618",
]

NXOS = """\
hostname dc-nx1
feature tacacs+
username admin password 5 $5$KJHGF$Lkj9876hgfdsa.qwerty  role network-admin
snmp-server user admin network-admin auth md5 0x8a4f9e2b11c0d77e priv 0x8a4f9e2b11c0d77f localizedkey
snmp-server community NxComm1 group network-operator
tacacs-server key 7 "NxTacKey"
tacacs-server host 10.0.0.7 key 7 "NxTacHost"
interface Ethernet1/1
  description to core
  ip address 10.2.0.1/30
  ip ospf authentication-key 3 NxOspfK
router bgp 65010
  neighbor 10.2.0.2
    password 3 NxBgpPw
"""
NXOS_SECRETS = ["$5$KJHGF$Lkj9876hgfdsa.qwerty", "0x8a4f9e2b11c0d77e", "0x8a4f9e2b11c0d77f",
                "NxComm1", "NxTacKey", "NxTacHost", "NxOspfK", "NxBgpPw"]

EOS = """\
hostname leaf1
enable secret sha512 $6$eosEnable$zYxWvU.tsrq
username admin privilege 15 role network-admin secret sha512 $6$eosUser$AbCdEf
snmp-server community EosRo ro
radius-server host 10.0.0.9 key 7 EosRadK
interface Ethernet1
   description uplink
   no switchport
   ip address 10.3.0.1/31
   ip ospf authentication-key 7 EosOspfK
router bgp 65020
   neighbor 10.3.0.0 password 7 EosBgpK
"""
EOS_SECRETS = ["$6$eosEnable$zYxWvU.tsrq", "$6$eosUser$AbCdEf", "EosRo", "EosRadK", "EosOspfK", "EosBgpK"]

HUAWEI = """\
#
 sysname HW-Agg1
#
 super password level 15 cipher %^%#hwSuper!!%^%#
#
aaa
 local-user admin password irreversible-cipher $1a$hwIrrev$Q1w2E3r4$
 local-user netops password cipher %@%@hwCipher%@%@
 local-user admin service-type ssh
#
interface Vlanif10
 description mgmt
 ip address 10.4.10.1 255.255.255.0
 ospf authentication-mode md5 1 cipher %^%#hwOspf%^%#
#
bgp 65030
 peer 10.4.0.2 password cipher %^%#hwBgp%^%#
#
radius-server template default
 radius-server shared-key cipher %^%#hwRadius%^%#
snmp-agent community read cipher %^%#hwSnmpRead%^%#
snmp-agent community write HwPlainWrite
ike peer BRANCH
 pre-shared-key cipher %^%#hwPsk%^%#
user-interface vty 0 4
 authentication-mode aaa
 set authentication password cipher %$%$hwVty%$%$
#
return
"""
HUAWEI_SECRETS = ["%^%#hwSuper!!%^%#", "$1a$hwIrrev$Q1w2E3r4$", "%@%@hwCipher%@%@", "%^%#hwOspf%^%#",
                  "%^%#hwBgp%^%#", "%^%#hwRadius%^%#", "%^%#hwSnmpRead%^%#", "HwPlainWrite",
                  "%^%#hwPsk%^%#", "%$%$hwVty%$%$"]

COMWARE = """\
#
 sysname H3C-Acc1
#
local-user admin class manage
 password hash $h$6$h3cHash$Zz9Yy8Xx==
 service-type ssh
local-user guest class network
 password cipher $c$3$h3cCipher==
 password simple H3cSimple1
#
super password role network-admin hash $h$6$h3cSuper==
#
interface Vlan-interface20
 description servers
 ip address 10.5.20.1 255.255.255.0
 ospf authentication-mode md5 1 cipher $c$3$h3cOspf==
#
radius scheme rad
 primary authentication 10.0.0.9 key cipher $c$3$h3cRadius==
 key accounting simple H3cAcct
#
snmp-agent community read simple H3cRead
snmp-agent community write cipher $c$3$h3cWrite==
snmp-agent community read H3cOld
#
ike keychain kc
 pre-shared-key address 203.0.113.1 255.255.255.255 key cipher $c$3$h3cPsk==
#
return
"""
COMWARE_SECRETS = ["$h$6$h3cHash$Zz9Yy8Xx==", "$c$3$h3cCipher==", "H3cSimple1", "$h$6$h3cSuper==",
                   "$c$3$h3cOspf==", "$c$3$h3cRadius==", "H3cAcct", "H3cRead", "$c$3$h3cWrite==", "H3cOld",
                   "$c$3$h3cPsk=="]

JUNOS = """\
system {
    host-name jn-edge1;
    root-authentication {
        encrypted-password "$6$junRoot$abcdefghijk";
    }
    login {
        user ops {
            class super-user;
            authentication {
                encrypted-password "$6$junOps$lmnopq";
            }
        }
    }
    tacplus-server {
        10.0.0.7 secret "$9$junTacacs";
    }
}
interfaces {
    ge-0/0/0 {
        description "uplink to core";
        unit 0 {
            family inet {
                address 10.6.0.1/30;
            }
        }
    }
}
protocols {
    ospf {
        area 0.0.0.0 {
            interface ge-0/0/0.0 {
                authentication {
                    md5 1 key "$9$junOspf";
                }
            }
        }
    }
}
security {
    ike {
        policy IKE-POL {
            pre-shared-key ascii-text "$9$junPsk";
        }
    }
}
snmp {
    community JunComm {
        authorization read-only;
    }
}
set system login user admin authentication encrypted-password "$6$junSet$rstuv"
set snmp community JunSetComm authorization read-only
"""
JUNOS_SECRETS = ["$6$junRoot$abcdefghijk", "$6$junOps$lmnopq", "$9$junTacacs", "$9$junOspf", "$9$junPsk",
                 "JunComm", "$6$junSet$rstuv", "JunSetComm"]

CASES = {
    "cisco_ios": (IOS, IOS_SECRETS),
    "cisco_nxos": (NXOS, NXOS_SECRETS),
    "arista_eos": (EOS, EOS_SECRETS),
    "huawei": (HUAWEI, HUAWEI_SECRETS),
    "hp_comware": (COMWARE, COMWARE_SECRETS),
    "juniper_junos": (JUNOS, JUNOS_SECRETS),
}


@pytest.mark.parametrize("platform", sorted(CASES))
def test_every_secret_is_redacted_and_other_lines_are_unchanged(platform: str) -> None:
    text, secrets = CASES[platform]
    redacted = redact_config(platform, text)
    leaked = [s for s in secrets if s in redacted]
    assert not leaked, f"{platform}: secrets left in the output: {leaked}"
    before, after = text.splitlines(), redacted.splitlines()
    assert len(before) == len(after), "redaction must keep every line"
    for old, new in zip(before, after, strict=False):
        if any(s in old for s in secrets):
            assert REDACTED in new, f"{platform}: secret line not marked: {new!r}"
        else:
            assert new == old, f"{platform}: a line without secrets changed: {old!r} -> {new!r}"


@pytest.mark.parametrize("platform", sorted(CASES))
def test_unknown_platform_uses_every_rule(platform: str) -> None:
    text, secrets = CASES[platform]
    redacted = redact_config("unknown_os", text)
    assert not [s for s in secrets if s in redacted]
    assert len(redacted.splitlines()) == len(text.splitlines())


def test_structure_around_secrets_is_kept() -> None:
    assert redact_config("cisco_ios", "enable secret 5 $1$abc$def\n") == "enable secret 5 <redacted>\n"
    assert (redact_config("cisco_ios", "snmp-server community Publ1c RO 10\n")
            == "snmp-server community <redacted> RO 10\n")
    assert (redact_config("juniper_junos", '        encrypted-password "$6$x$y";\n')
            == '        encrypted-password "<redacted>";\n')
    assert (redact_config("huawei", "snmp-agent community read cipher %^%#x%^%#\r\n")
            == "snmp-agent community read cipher <redacted>\r\n")


def test_key_chain_key_ids_and_descriptions_survive() -> None:
    text = "key chain K\n key 1\n  key-string 7 0011\ninterface Gi0/1\n description password reset\n"
    redacted = redact_config("cisco_ios", text)
    assert " key 1\n" in redacted
    assert " description password reset\n" in redacted
    assert "0011" not in redacted


def test_redaction_is_idempotent() -> None:
    for platform, (text, _secrets) in CASES.items():
        once = redact_config(platform, text)
        assert redact_config(platform, once) == once, platform


def test_outputs_without_secrets_pass_through() -> None:
    show_interfaces = (
        "GigabitEthernet0/1 is up, line protocol is up\n"
        "  Hardware is iGbE, address is 5254.0012.3456\n"
        "  Internet address is 10.1.2.1/30\n"
    )
    for platform in CASES:
        assert redact_config(platform, show_interfaces) == show_interfaces


def _line_by_line(platform: str, text: str) -> str:
    """Redaction without the one-search screen: every rule tried on every line."""
    rules = redact_module._FAMILIES.get(platform, redact_module._EVERY_RULE)
    out, block = [], ""
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body and not body[0].isspace() and body[0] not in "!#":
            block = body
        out.append(redact_module.redact_line(rules, body, block) + line[len(body):])
    return "".join(out)


@pytest.mark.parametrize("platform", [*sorted(CASES), "unknown"])
def test_the_screen_skips_only_lines_no_rule_would_touch(platform: str) -> None:
    """The screen is a speed-up, never a filter: same output as trying every rule, on every snippet
    (and on each snippet with its lines indented, unindented and mixed into another platform's)."""
    texts = [text for text, _ in CASES.values()]
    texts += ["\n".join(" " + line for line in t.splitlines()) for t in texts]
    texts += ["\n".join(line.strip() for line in t.splitlines()) for t in texts]
    for text in texts:
        assert redact_config(platform, text) == _line_by_line(platform, text)


@pytest.mark.parametrize(("platform", "line", "expected"), [
    # the examples, with the structure that must survive around the marker
    ("cisco_ios", " wpa-psk ascii 0 Wif1Key", " wpa-psk ascii 0 <redacted>"),
    ("huawei", "  security wpa2 psk pass-phrase %^%#x%^%# aes", "  security wpa2 psk pass-phrase <redacted> aes"),
    ("cisco_ios", " ip nhrp authentication NhrpK", " ip nhrp authentication <redacted>"),
    ("cisco_ios", " glbp 1 authentication text GlbpK", " glbp 1 authentication text <redacted>"),
    ("cisco_ios", " client 10.0.0.1 server-key 7 0822", " client 10.0.0.1 server-key 7 <redacted>"),
    ("huawei", " authentication-mode md5 1 plain OspfP", " authentication-mode md5 1 plain <redacted>"),
    ("huawei", " ospf authentication-mode hmac-sha256 1 cipher X",
     " ospf authentication-mode hmac-sha256 1 cipher <redacted>"),
    ("arista_eos", "   ip ospf message-digest-key 1 sha256 7 X", "   ip ospf message-digest-key 1 sha256 7 <redacted>"),
    ("arista_eos", "   ip ospf authentication-key 0 X", "   ip ospf authentication-key 0 <redacted>"),
    ("hp_comware", " isis authentication-mode md5 plain X", " isis authentication-mode md5 plain <redacted>"),
    ("arista_eos", "   authentication key 0 X level-2", "   authentication key 0 <redacted> level-2"),
    ("arista_eos", "   vrrp 1 peer authentication text X", "   vrrp 1 peer authentication text <redacted>"),
    ("hp_comware", " vrrp vrid 1 authentication-mode simple plain X",
     " vrrp vrid 1 authentication-mode simple plain <redacted>"),
    ("hp_comware", "super password role network-admin simple X", "super password role network-admin simple <redacted>"),
    ("hp_comware", "snmp-agent usm-user v3 u g authentication-mode sha X privacy-mode aes128 Y",
     "snmp-agent usm-user v3 u g authentication-mode sha <redacted> privacy-mode aes128 <redacted>"),
    ("hp_comware", "snmp-agent usm-user v3 u g cipher authentication-mode sha X privacy-mode aes128 Y",
     "snmp-agent usm-user v3 u g cipher authentication-mode sha <redacted> privacy-mode aes128 <redacted>"),
    ("cisco_ios", "snmp-server user u g v3 auth sha X priv aes 128 Y",
     "snmp-server user u g v3 auth sha <redacted> priv aes 128 <redacted>"),
    ("huawei", " md5-password cipher 10.1.1.1 %^%#x%^%#", " md5-password cipher 10.1.1.1 <redacted>"),
    ("cisco_ios", " password 0 two words", " password 0 <redacted>"),
    ("cisco_nxos", "username a password 5 $5$x  role network-admin",
     "username a password 5 <redacted>  role network-admin"),
    ("juniper_junos", '    pre-shared-key ascii-text "$9$abc"; ## SECRET-DATA',
     '    pre-shared-key ascii-text "<redacted>"; ## SECRET-DATA'),
    ("juniper_junos", "set snmp v3 snmp-community idx community-name c0mm",
     "set snmp v3 snmp-community idx community-name <redacted>"),
    ("cisco_ios", " path scp://bk:Pw@10.0.0.5/cfg", " path scp://bk:<redacted>@10.0.0.5/cfg"),
])
def test_each_form_keeps_its_keywords(platform: str, line: str, expected: str) -> None:
    assert redact_config(platform, line + "\n") == expected + "\n"


def test_policy_communities_and_key_ids_are_not_secrets() -> None:
    junos = "policy-options {\n    community CUSTOMERS members 65000:100;\n}\nsecurity {\n    key 1 {\n"
    assert redact_config("juniper_junos", junos) == junos
    ios = (" mka pre-shared-key key-chain MKA-KEYS\n standby 1 authentication md5 key-chain HSRP\n"
           "mpls ldp password required\n")
    nxos = ("username ops passphrase  lifetime 99999 warntime 14 gracetime 3\nno password strength-check\n"
            "feature password encryption aes\n")
    assert redact_config("cisco_nxos", nxos) == nxos
    assert redact_config("cisco_ios", ios) == ios
    eos = "   session shared-secret profile PROF\n"
    assert redact_config("arista_eos", eos) == eos
    huawei = (" ospf authentication-mode keychain KC\n user-interface vty 0 4\n authentication-mode aaa\n"
              "ssh server cipher aes256_ctr aes128_ctr\nssh client cipher aes256_ctr\n")
    comware = "ssh2 algorithm cipher aes128-ctr aes256-ctr\n"
    assert redact_config("hp_comware", comware) == comware
    assert redact_config("huawei", huawei) == huawei
