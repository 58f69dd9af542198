"""Secret redaction for device outputs, applied before anything touches disk or a report.

Contract: ``redact_config(platform, text) -> str`` keeps every line (so interfaces
and addresses still parse) and replaces each secret value with ``<redacted>``
(``"<redacted>"`` when the value was quoted; ``"<redacted>`` when a cut left the quote
open, so the cut still shows). Rules are per platform family and
line based (each platform names its family: ``Platform.redaction`` in
:mod:`core.platforms`); ``description`` lines are left alone because free text such as
``description password reset portal`` is not a secret. An unknown platform gets
every family's rules: over-redacting is the safe side.

What is covered, by family (the full list is the rule tables below, one comment each):

* Cisco IOS / NX-OS / Arista EOS: enable and line passwords/secrets (spaces kept in the
  value), usernames, SNMP communities, trap communities and v3 auth *and* priv keys,
  TACACS+/RADIUS keys (inline, server blocks, ``server-private``, ``pac key``, dynamic-author
  ``server-key`` and ``client ... server-key``), OSPF (``authentication-key``,
  ``message-digest-key`` md5/sha*, OSPFv3 IPsec SPI keys), IS-IS (``isis password``,
  ``area-password``, ``domain-password``, EOS ``authentication key``), named EIGRP,
  BGP/LDP neighbour passwords, MSDP, RSVP, PIM hello authentication, NX-OS BFD keys,
  HSRP/VRRP/GLBP text and md5 keys (EOS ``peer authentication``), key chains, NTP,
  ISAKMP/IKEv2/keyring pre-shared keys, manual IPsec session keys, EOS ``shared-key`` and
  ``secret <id> <type>``, NHRP, PPP CHAP/PAP, L2TP tunnel, wireless PSKs and WEP keys,
  ``key config-key``, ``aaa root secret``.
* Huawei VRP and H3C Comware: every ``cipher`` / ``irreversible-cipher`` / ``simple`` /
  ``plain`` / ``hash`` value (local users, super password, OSPF/IS-IS/RIP/BFD/NTP/VRRP
  ``authentication-mode`` in every form including the ones with no keyword before the
  value, BGP/MSDP peers, LDP ``md5-password``, RSVP, RADIUS/HWTACACS keys, IKE and IPsec
  keys, L2TP, PPP, key chains, NHRP, WLAN pass-phrases and raw keys), SNMP communities
  (both word orders), trap ``securityname``, SNMPv3 ``usm-user`` authentication and privacy
  keys whatever precedes them.
* Junos: ``$9$`` strings anywhere, whatever ``## SECRET-DATA`` marks, ``encrypted-password``,
  every ``*-password`` / ``*secret`` / ``*-key`` statement that takes a value
  (``authentication-key``, ``privacy-key``, ``pre-shared-key``, ``chap-secret``,
  ``hello-authentication-key`` ...), ``ascii-text`` / ``hexadecimal``, NTP key ``value``,
  SNMP ``community`` and ``community-name`` (not BGP policy communities).
* Every family: passwords in URLs (``scp://user:pass@host``).

Sources consulted for the command lists (syntax only, nothing copied): Cisco IOS
Security and IP Routing command references (enable/username/line passwords, key chains,
``ip ospf``/``ipv6 ospf authentication ipsec``, ``isis password``/``area-password``/
``domain-password``, ``ip nhrp authentication``, ``glbp authentication``, ``aaa server
radius dynamic-author``, ``wpa-psk``, ``ppp chap``/``pap``, ``l2tp tunnel password``,
``ip msdp password``, ``ip rsvp authentication key``); NX-OS security and unicast routing
guides (``snmp-server user ... localizedkey``, ``hsrp``/``vrrp`` blocks, ``ip pim
hello-authentication``, ``bfd authentication``); Arista EOS manual (``ip ospf
message-digest-key ... sha256``, ``isis authentication key``, ``vrrp peer authentication``,
``management security`` shared secrets); Huawei VRP command references and the CSDN IS-IS
authentication article (``isis authentication-mode { simple | md5 } { plain | [cipher] }``,
``ospf authentication-mode``, ``md5-password``, ``security wpa2 psk pass-phrase``); HPE/H3C
Comware 5/7 references (``snmp-agent usm-user v3 ... [cipher|simple] authentication-mode
... privacy-mode``, ``area-authentication-mode ... plain``, RADIUS scheme ``key``, WLAN
``preshared-key``); Junos statement references (``authentication-key``,
``authentication-type``, key chains, SNMPv3 USM, ``## SECRET-DATA``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from core.platforms import PLATFORMS, Platform, RedactionFamily

REDACTED = "<redacted>"

# A value: quoted, or one word. Outside Junos a ';' belongs to the value (an IOS password may
# hold one); in Junos it ends the statement and '{' opens a block.
# A quote left open (a configuration cut inside a quoted secret) runs to the end of the line.
_VALUE = r'(?P<secret>"[^"\n]*"?|[^\s"]\S*)'
_JVALUE = r'(?P<secret>"(?:[^"\\\n]|\\.)*+(?:"|\\?$)|[^\s;"{}]++)'
# A value that runs to the end of the line (IOS line and enable passwords may hold spaces),
# stopping before the NX-OS ``role`` that may follow a username's password.
_REST = r'(?P<secret>"[^"\n]*"?|[^\s"]\S*(?:[ \t]+(?!role\b)\S+)*)'
# Between two keywords of one statement, in a rule not anchored at the line's start: bounded, so
# a hostile megabyte-long line costs linear time, not quadratic (statements are short).
_GAP = r".{0,300}?"
# An optional encryption type before a Cisco-style value: 0, 5, 7, 8, 9, 8a, sha512, md5.
_TYPE = r"(?:[ \t]+(?:\d{1,2}[a-z]?|sha512))?"
# Words after ``password`` that configure a policy, not a value (``no password strength-check``,
# NX-OS ``password encryption aes``, ``mpls ldp password required``).
_POLICY = r"[ \t]+(?:strength-check|encryption|minimum|maximum|policy|complexity|history|required|option)\b"
# VRP/Comware keywords that announce a value (so are never one).
_VRP_KEYWORD = r"(?:cipher|irreversible-cipher|simple|plain|hash)\b"


@dataclass(frozen=True, slots=True)
class _Rule:
    """A pattern whose ``secret`` group is replaced; ``inside`` limits it to a config block."""

    pattern: re.Pattern[str]
    inside: re.Pattern[str] | None = None
    #: Applied only when no other rule matched the line (catch-alls would otherwise
    #: take an encryption type digit of an already redacted line for a value).
    fallback: bool = False


def _rule(pattern: str, inside: str | None = None, fallback: bool = False) -> _Rule:
    return _Rule(re.compile(pattern), re.compile(inside) if inside else None, fallback)


_CISCO = (
    # enable secret/password [level N] [algorithm-type X] [type] <value with spaces>
    _rule(rf"^[ \t]*enable(?:[ \t]+algorithm-type[ \t]+\S+)?[ \t]+(?:secret|password)(?:[ \t]+level[ \t]+\d+)?"
          rf"{_TYPE}[ \t]+{_REST}"),
    _rule(rf"^[ \t]*username[ \t]+\S++.*?\b(?:secret|password){_TYPE}[ \t]+{_REST}"),
    _rule(rf"^[ \t]*aaa root secret{_TYPE}[ \t]+{_VALUE}"),
    # SNMP: communities, trap host communities, v3 user keys (IOS, NX-OS 0x.., EOS sha256/aes256)
    _rule(rf"^[ \t]*snmp-server community[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*snmp-server host[ \t]+\S+(?:[ \t]+(?:informs|traps))?"
          rf"(?:[ \t]+version[ \t]+(?:1|2c))?[ \t]+(?!version\b|informs\b|traps\b){_VALUE}"),
    _rule(rf"^[ \t]*snmp-server user[ \t].*?\bauth[ \t]+(?:md5|sha\S*){_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*snmp-server user[ \t].*?\bpriv(?:[ \t]+(?:des\S*|3des|aes(?:-?\d+)?(?:[ \t]+\d+)?))?"
          rf"{_TYPE}[ \t]+(?!localizedkey\b){_VALUE}"),
    # TACACS+/RADIUS: inline, in server blocks, server-private, PAC keys, dynamic-author
    _rule(rf"^[ \t]*(?:tacacs-server|radius-server|ip tacacs|ip radius)\b.*?\bkey{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]+(?:server-private[ \t].*?[ \t]|pac[ \t]+)?key{_TYPE}[ \t]+{_VALUE}",
          inside=r"^(?:tacacs server|radius server|aaa group server|aaa server)\b"),
    _rule(rf"\bserver-key{_TYPE}[ \t]+{_VALUE}"),
    # OSPF, NTP, virtual links: authentication-key [id md5|sha*] [type] value
    _rule(rf"\bauthentication-key(?:[ \t]+\d+[ \t]+(?:md5|sha\S*))?{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bmessage-digest-key[ \t]+\d+[ \t]+(?:md5|sha\S*){_TYPE}[ \t]+{_VALUE}"),
    # OSPFv3 IPsec: ... ipsec spi N md5|sha1 KEY / esp <cipher> KEY <auth> KEY
    _rule(rf"\bipsec[ \t]+spi[ \t]+\d+[ \t]+(?:md5|sha1){_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bipsec[ \t]+spi[ \t]+\d+[ \t]+esp[ \t]+(?:des|3des|aes-cbc[ \t]+\d+){_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bipsec[ \t]+spi[ \t]+\d+[ \t]+esp[ \t]{_GAP}[ \t](?:md5|sha1){_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bkey-string{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*key config-key password-encrypt[ \t]+{_VALUE}"),
    # EOS shared secret profiles: secret <id> <type> <value>
    _rule(rf"^[ \t]*secret[ \t]+\d+[ \t]+\d+[ \t]+{_VALUE}"),
    # BGP and LDP neighbours (``mpls ldp neighbor X password``), MSDP peers
    _rule(rf"^[ \t]*(?:mpls ldp[ \t]+)?neighbor[ \t]+(?:vrf[ \t]+\S+[ \t]+)?\S+[ \t]+password{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bmsdp(?:[ \t]+vrf[ \t]+\S+)?[ \t]+password[ \t]+peer[ \t]+\S+{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*mpls ldp(?:[ \t]+vrf[ \t]+\S+)?[ \t]+password[ \t]+fallback{_TYPE}[ \t]+{_VALUE}"),
    # EOS MACsec: ``key <CKN> 7 <CAK>`` in a ``mac security`` profile
    _rule(rf"^[ \t]+key[ \t]+\S+[ \t]+\d[ \t]+{_VALUE}", inside=r"^mac security\b"),
    # HSRP/VRRP/GLBP (EOS ``vrrp N peer authentication``), NX-OS hsrp/vrrp blocks
    _rule(rf"^[ \t]*(?:standby|vrrp|glbp)[ \t]+\d+[ \t]+(?:peer[ \t]+)?authentication[ \t]+(?:text[ \t]+)?"
          rf"(?!md5\b|ietf-md5\b|key-chain\b|key-string\b|text\b){_VALUE}"),
    _rule(rf"^[ \t]*(?:peer[ \t]+)?authentication[ \t]+text[ \t]+{_VALUE}"),
    # IS-IS (IOS, EOS ``authentication key``), RSVP ``authentication key``, named EIGRP
    _rule(rf"^[ \t]*(?:isis[ \t]+password|(?:area|domain|lsp|hello)-password)"
          rf"(?:[ \t]+(?:hmac-md5|text|clear|encrypted))?{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bauthentication[ \t]+key{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bauthentication[ \t]+mode[ \t]+hmac-sha-?\d+{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bhello-authentication[ \t]+ah-md5{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bkeyed-(?:sha1|md5)[ \t]+key-id[ \t]+\d+[ \t]+(?:hex-)?key{_TYPE}[ \t]+{_VALUE}"),
    # IKE / IPsec
    _rule(rf"^[ \t]*crypto isakmp key{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bpre-shared-key[ \t]+(?:address|hostname)[ \t]{_GAP}\bkey{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bpre-shared-key(?:[ \t]+(?:local|remote))?{_TYPE}[ \t]+(?!address\b|hostname\b|key-chain\b){_VALUE}"),
    # IKEv2 profile ``authentication local|remote pre-share key X``; Easy VPN ``group G key X``
    _rule(rf"\bpre-share[ \t]+key{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]+group[ \t]+\S+[ \t]+key{_TYPE}[ \t]+{_VALUE}", inside=r"^crypto ipsec client ezvpn\b"),
    _rule(rf"^[ \t]+key{_TYPE}[ \t]+{_VALUE}", inside=r"^crypto (?:isakmp client|ikev2 client|keyring)\b"),
    _rule(rf"^[ \t]*set session-key[ \t]+(?:inbound|outbound)[ \t]+(?:ah|esp)[ \t]+\d+[ \t]+(?:cipher[ \t]+)?{_VALUE}"),
    _rule(rf"^[ \t]*set session-key[ \t].*?\bauthenticator[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*shared-key{_TYPE}[ \t]+{_VALUE}"),
    # NHRP, PPP, L2TP, FTP/HTTP clients
    _rule(rf"\bnhrp[ \t]+authentication[ \t]+{_VALUE}"),
    _rule(rf"\bppp[ \t]+(?:chap|pap|ms-chap\S*|eap)[ \t]{_GAP}\b(?:password|secret){_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bl2tp tunnel password{_TYPE}[ \t]+{_VALUE}"),
    # Wireless: AP ``wpa-psk ascii``, WLC ``set-key ascii``, pass-phrases, WEP keys
    _rule(rf"\bwpa-psk[ \t]+(?:ascii|hex){_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bset-key[ \t]+(?:ascii|hex){_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bpass-?phrase{_TYPE}[ \t]+(?!lifetime\b|warntime\b|gracetime\b){_VALUE}"),
    _rule(rf"\bencryption[ \t]+(?:vlan[ \t]+\d+[ \t]+)?key[ \t]+\d+[ \t]+size[ \t]+\S+{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*(?:password|secret)(?![ \t]+\d+[ \t]+\d{{1,2}}[ \t]|{_POLICY})(?:{_TYPE})[ \t]+{_REST}"),
    # Anything else spelled "... password <value>" (ftp, http client, ldap, sip): over-redact.
    _rule(rf"(?<!-)\b(?:password|secret)(?!{_POLICY}){_TYPE}[ \t]+{_VALUE}", fallback=True),
)

_VRP_COMWARE = (
    # A value after its announcing keyword: not ``authentication-mode`` after an SNMPv3 user's
    # ``cipher``, nor the peer address of VRP's ``md5-password cipher <peer> <value>``, nor the
    # algorithm lists of ``ssh server cipher`` / ``ssh2 algorithm cipher``.
    _rule(r"(?<!md5-password )(?<!server )(?<!client )(?<!algorithm )"
          r"\b(?:irreversible-cipher|cipher|simple|plain)[ \t]+"
          r"(?!authentication-mode\b|plain\b|cipher\b|read\b|write\b)(?P<secret>\S+)"),
    _rule(r"\bpassword(?:[ \t]+\S++){0,4}?[ \t]+hash[ \t]+(?P<secret>\S+)"),
    _rule(r"\bmd5-password[ \t]+(?:plain|cipher)[ \t]+\S+[ \t]+(?P<secret>\S+)"),
    # authentication-mode (OSPF, IS-IS, RIP, VRRP, NTP, BFD) with no cipher/plain keyword:
    # ``md5 1 VALUE`` / ``hmac-sha256 VALUE`` / ``simple VALUE`` (the value is then plain text)
    _rule(rf"\bauthentication-mode[ \t]+(?:md5|hmac-\S+|sha\S*)[ \t]+\d+[ \t]+(?!{_VRP_KEYWORD})(?P<secret>\S+)"),
    _rule(rf"(?<!snmp-agent usm-user )\bauthentication-mode[ \t]+(?:simple|md5|hmac-\S+|sha\S*)[ \t]+"
          rf"(?!{_VRP_KEYWORD}|\d+[ \t]+\S|key-id\b|keychain\b|usual\b|nonstandard\b|privacy-mode\b)(?P<secret>\S+)"),
    # SNMP: communities (both word orders), trap securityname, v3 keys after their algorithm
    _rule(rf"^[ \t]*snmp-agent community(?:[ \t]+(?:cipher|simple))?[ \t]+(?:read|write)(?:[ \t]+(?:cipher|simple))?"
          rf"[ \t]+(?!{_VRP_KEYWORD}){_VALUE}"),
    _rule(rf"^[ \t]*snmp-agent target-host[ \t].*?\bsecurityname[ \t]+(?!{_VRP_KEYWORD}){_VALUE}"),
    _rule(rf"^[ \t]*snmp-agent usm-user[ \t].*?\bauthentication-mode[ \t]+\S+[ \t]+(?:(?:cipher|simple)[ \t]+)?"
          rf"(?!{_VRP_KEYWORD}|privacy-mode\b){_VALUE}"),
    _rule(rf"^[ \t]*snmp-agent usm-user[ \t].*?\bprivacy-mode[ \t]+\S+[ \t]+(?:(?:cipher|simple)[ \t]+)?"
          rf"(?!{_VRP_KEYWORD}){_VALUE}"),
    # Keys with no keyword before them (older software, plain text)
    _rule(rf"\b(?:shared-key|pre-shared-key|key-string|pass-phrase|raw-key)[ \t]+"
          rf"(?!{_VRP_KEYWORD}|address\b|hostname\b|ipv6\b){_VALUE}"),
    _rule(rf"^[ \t]*key[ \t]+(?:authentication|accounting|authorization)[ \t]+(?!{_VRP_KEYWORD}){_VALUE}"),
    _rule(rf"^[ \t]*peer[ \t]+\S+[ \t]+password[ \t]+(?!{_VRP_KEYWORD}){_VALUE}"),
    _rule(rf"\bnhrp[ \t]+authentication[ \t]+(?!{_VRP_KEYWORD}){_VALUE}"),
    _rule(rf"^[ \t]*sa[ \t]+(?:string-key|authentication-hex|encryption-hex|hex-key[ \t]+\S+)[ \t]+"
          rf"(?:inbound|outbound)[ \t]+(?:esp|ah)[ \t]+(?!{_VRP_KEYWORD}){_VALUE}"),
    _rule(rf"^[ \t]+(?:local-user[ \t]+\S+[ \t]+)?password[ \t]+(?!{_VRP_KEYWORD}){_VALUE}$"),
)

_JUNOS = (
    _rule(r'(?P<secret>"\$9\$[^"\n]*"|\$9\$[^\s;"]+)'),
    # Junos marks every secret it shows: ``authentication-key "..."; ## SECRET-DATA``
    _rule(rf"(?<!\S){_JVALUE};?[ \t]*## SECRET-DATA"),
    _rule(rf"\bencrypted-password[ \t]+{_JVALUE}"),
    # (from the start of a hyphenated word: ``\b`` inside one would make long lines quadratic)
    _rule(rf"(?<![\w-])[\w-]*?(?:password|secret|authentication-key|privacy-key|pre-shared-key|"
          rf"ascii-text|hexadecimal|plain-text-password-value)[ \t]+"
          # not a key id (``1 type md5``), a Cisco encryption type digit, nor the format keyword
          rf"(?!\d+[ \t]+type\b|\d{{1,2}}[ \t]+[^\s;{{]|ascii-text\b|hexadecimal\b)"
          rf"{_JVALUE}"),
    _rule(rf"\bmd5[ \t]+\d+[ \t]+key[ \t]+{_JVALUE}"),
    _rule(rf"\bauthentication-key[ \t]+\d+[ \t]+type[ \t]+\S+[ \t]+value[ \t]+{_JVALUE}"),
    _rule(rf"(?<![\w-])community(?:-name)?[ \t]+{_JVALUE}", inside=r"^(?!(?:set[ \t]+)?policy-options\b)"),
)

# Passwords in URLs (archive paths, call-home, backup targets): every family.
_COMMON = (_rule(r"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*+://[^\s/:@]++:(?P<secret>[^\s@/]+)@"),)

_EVERY_RULE = _VRP_COMWARE + _JUNOS + _CISCO + _COMMON

#: The rules of each family a platform names (``Platform.redaction`` in core.platforms).
_RULES_OF_FAMILY: dict[RedactionFamily, tuple[_Rule, ...]] = {
    "cisco": _CISCO + _COMMON,
    "vrp_comware": _VRP_COMWARE + _COMMON,
    "junos": _JUNOS + _COMMON,
    "none": (),
    "every": _EVERY_RULE,
}


def _family_rules(platform: Platform) -> tuple[_Rule, ...]:
    """The rules a platform's outputs go through; a family no rule table has is an error naming it."""
    try:
        return _RULES_OF_FAMILY[platform.redaction]
    except KeyError:
        raise ValueError(f"platform {platform.name!r}: no redaction family {platform.redaction!r} in "
                         f"collectors.redact (known: {', '.join(_RULES_OF_FAMILY)})") from None


#: Platform -> its rules.
_FAMILIES: dict[str, tuple[_Rule, ...]] = {name: _family_rules(p) for name, p in PLATFORMS.items()}

_DESCRIPTION = re.compile(r"^[ \t]*(?:set[ \t].*\b)?description\b")
#: Words at least one of which every rule's match contains: a line with none of them holds
#: nothing to redact. A first, cheap filter (most output lines have none) before :func:`_screen`.
_KEYWORDS = re.compile(r"pass|secret|key|community|cipher|simple|plain|hash|auth|priv|psk|phrase|ipsec|"
                       r"securityname|snmp-server host|ascii-text|hexadecimal|\$9\$|SECRET-DATA|://")


#: Changes whenever a rule, a family's set of rules or a filter does: what archives and the
#: history record, so what older rules redacted is redacted again (see netcensus.store).
RULES_DIGEST = hashlib.sha256("\n".join([
    *(f"{r.pattern.pattern}|{r.inside.pattern if r.inside else ''}|{r.fallback}" for r in _EVERY_RULE),
    *(f"{name}:{len(rules)}" for name, rules in sorted(_FAMILIES.items())),
    _KEYWORDS.pattern, _DESCRIPTION.pattern,
]).encode()).hexdigest()[:16]


def _secret_spans(rules: tuple[_Rule, ...], line: str, block: str) -> list[tuple[int, int]]:
    """Where the secret values of a line are, by every applicable rule (fallbacks last)."""
    spans: list[tuple[int, int]] = []
    for use_fallbacks in (False, True):
        if use_fallbacks and spans:
            break  # catch-alls only for lines no precise rule understood
        for rule in rules:
            if rule.fallback != use_fallbacks:
                continue
            if rule.inside is not None and not rule.inside.match(block):
                continue
            spans.extend(m.span("secret") for m in rule.pattern.finditer(line))
    return spans


@cache
def _screen(rules: tuple[_Rule, ...]) -> re.Pattern[str]:
    """One pattern that finds something in every line any of ``rules`` would match.

    The alternation of the rules' own patterns (their ``secret`` groups unnamed), so a
    line it does not match holds nothing any rule would redact: exact, not a guess. Most
    configuration lines hold no secret, and one search instead of one per rule is most of
    the cost of redaction gone.
    """
    return re.compile("|".join(f"(?:{r.pattern.pattern.replace('(?P<secret>', '(?:')})" for r in rules))


def redact_line(rules: tuple[_Rule, ...], line: str, block: str) -> str:
    """One line with every secret replaced; ``block`` is the enclosing top-level line."""
    if _DESCRIPTION.match(line):
        return line
    spans = sorted(_secret_spans(rules, line, block))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        value = line[start:end]
        hidden = REDACTED
        if value.startswith('"'):  # a quote left open stays open: the cut must still show
            hidden = f'"{REDACTED}"' if len(value) > 1 and value.endswith('"') else f'"{REDACTED}'
        line = line[:start] + hidden + line[end:]
    return line


def redact_config(platform: str, text: str) -> str:
    """Replace secret values in a configuration or any output; the line structure is kept.

    >>> redact_config("cisco_ios", "enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0\\n")
    'enable secret 5 <redacted>\\n'
    >>> redact_config("huawei", " local-user admin password irreversible-cipher $1a$x$y$\\n")
    ' local-user admin password irreversible-cipher <redacted>\\n'
    """
    rules = _FAMILIES.get(platform, _EVERY_RULE)
    if not rules or not text or not _KEYWORDS.search(text):
        return text
    screen, keywords = _screen(rules), _KEYWORDS
    out: list[str] = []
    block = ""
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body and not body[0].isspace() and body[0] not in "!#":
            block = body
        if keywords.search(body) and screen.search(body):
            line = redact_line(rules, body, block) + line[len(body):]
        out.append(line)
    return "".join(out)
