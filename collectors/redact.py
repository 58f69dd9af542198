"""Secret redaction for device outputs, applied before anything touches disk or a report.

Contract: ``redact_config(platform, text) -> str`` keeps every line (so interfaces
and addresses still parse) and replaces each secret value with ``<redacted>``
(``"<redacted>"`` when the value was quoted). Rules are per platform family and
line based; ``description`` lines are left alone because free text such as
``description password reset portal`` is not a secret. An unknown platform gets
every family's rules: over-redacting is the safe side.

What is covered, by family:

* Cisco IOS / NX-OS / Arista EOS: enable secret/password, username secret/password,
  SNMP communities and v3 auth/priv keys, TACACS+/RADIUS keys (inline and in
  server blocks), OSPF/BGP/IS-IS/HSRP/VRRP/key-chain keys, ISAKMP and IKEv2
  pre-shared keys, line passwords, NTP keys.
* Huawei VRP and H3C Comware: ``cipher`` / ``irreversible-cipher`` / ``simple`` /
  ``hash`` values (local users, super password, routing and RADIUS/HWTACACS keys,
  pre-shared keys), SNMP communities.
* Junos: ``$9$`` strings anywhere, ``encrypted-password``, quoted ``secret`` /
  ``authentication-key`` / ``pre-shared-key`` values, SNMP community names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

REDACTED = "<redacted>"

# A value: quoted (NX-OS, Junos) or one word; never crosses a line or a Junos ';'.
_VALUE = r'(?P<secret>"[^"\n]*"|[^\s;"]+)'
# An optional encryption type before a Cisco-style value: 0, 5, 7, 8, 9, 8a, sha512, md5.
_TYPE = r"(?:[ \t]+(?:\d{1,2}[a-z]?|sha512))?"


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
    _rule(rf"^[ \t]*enable (?:secret|password)(?:[ \t]+level[ \t]+\d+)?{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*username[ \t]+\S+.*?\b(?:secret|password){_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*snmp-server community[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*snmp-server host[ \t]+\S+(?:[ \t]+(?:informs|traps))?"
          rf"(?:[ \t]+version[ \t]+(?:1|2c))?[ \t]+(?!version\b|informs\b|traps\b){_VALUE}"),
    _rule(rf"^[ \t]*snmp-server user[ \t].*?\bauth[ \t]+(?:md5|sha\S*)[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*snmp-server user[ \t].*?\bpriv[ \t]+(?:(?:des|3des|aes(?:[ \t]+\d+)?)[ \t]+)?{_VALUE}"),
    _rule(rf"^[ \t]*(?:tacacs-server|radius-server|ip tacacs|ip radius)\b.*?\bkey{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]+(?:server-private[ \t].*?[ \t])?key{_TYPE}[ \t]+{_VALUE}",
          inside=r"^(?:tacacs server|radius server|aaa group server|aaa server)\b"),
    _rule(rf"\bauthentication-key(?:[ \t]+\d+[ \t]+md5)?{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bmessage-digest-key[ \t]+\d+[ \t]+md5{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bkey-string{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*neighbor[ \t]+\S+[ \t]+password{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*(?:standby|vrrp)[ \t]+\d+[ \t]+authentication[ \t]+(?:text[ \t]+)?(?!md5\b){_VALUE}"),
    _rule(rf"^[ \t]*isis[ \t]+password[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*crypto isakmp key{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bpre-shared-key[ \t]+address[ \t].*?\bkey{_TYPE}[ \t]+{_VALUE}"),
    _rule(rf"\bpre-shared-key(?:[ \t]+(?:local|remote))?{_TYPE}[ \t]+(?!address\b){_VALUE}"),
    _rule(rf"^[ \t]*(?:password|secret){_TYPE}[ \t]+{_VALUE}"),
    # Anything else spelled "... password <value>" (ppp, wpa-psk, ftp): over-redact.
    _rule(rf"\b(?:password|secret){_TYPE}[ \t]+{_VALUE}", fallback=True),
)

_VRP_COMWARE = (
    _rule(rf"\b(?:irreversible-cipher|cipher)[ \t]+{_VALUE}"),
    _rule(rf"\bpassword(?:[ \t]+\S+)*?[ \t]+hash[ \t]+{_VALUE}"),
    _rule(rf"\b(?:password|shared-key|pre-shared-key|key(?:[ \t]+\S+)?|authentication-mode[ \t]+\S+(?:[ \t]+\d+)?)"
          rf"[ \t]+simple[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*snmp-agent community[ \t]+(?:read|write)[ \t]+(?!cipher\b|simple\b){_VALUE}"),
    _rule(rf"^[ \t]*snmp-agent community[ \t]+(?:read|write)[ \t]+simple[ \t]+{_VALUE}"),
    _rule(rf"^[ \t]*(?:radius-server|hwtacacs-server)[ \t]+shared-key[ \t]+(?!cipher\b|simple\b){_VALUE}"),
    _rule(rf"^[ \t]+(?:local-user[ \t]+\S+[ \t]+)?password[ \t]+(?!cipher\b|simple\b|hash\b|irreversible-cipher\b)"
          rf"{_VALUE}$"),
)

_JUNOS = (
    _rule(r'(?P<secret>"\$9\$[^"\n]*")'),
    _rule(rf"\bencrypted-password[ \t]+{_VALUE}"),
    _rule(rf"\b(?:secret|authentication-key|simple-password|ascii-text|hexadecimal|"
          rf"plain-text-password-value)[ \t]+{_VALUE}"),
    _rule(rf"\bcommunity[ \t]+{_VALUE}"),
)

_FAMILIES: dict[str, tuple[_Rule, ...]] = {
    "cisco_ios": _CISCO,
    "cisco_nxos": _CISCO,
    "arista_eos": _CISCO,
    "huawei": _VRP_COMWARE,
    "hp_comware": _VRP_COMWARE,
    "juniper_junos": _JUNOS,
    "linux": (),
}
_EVERY_RULE = _VRP_COMWARE + _JUNOS + _CISCO
_DESCRIPTION = re.compile(r"^[ \t]*(?:set[ \t].*\b)?description\b")


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
        hidden = f'"{REDACTED}"' if value.startswith('"') else REDACTED
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
    if not rules or not text:
        return text
    screen = _screen(rules)
    out: list[str] = []
    block = ""
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body and not body[0].isspace() and body[0] not in "!#":
            block = body
        out.append(redact_line(rules, body, block) + line[len(body):] if screen.search(body) else line)
    return "".join(out)
