"""Device credentials, resolved per credential profile; never logged, never written.

A device names a profile (``Device.credentials``, default ``"default"``). Each
profile is resolved, in this order, from:

1. environment variables ``NETCENSUS_<PROFILE>_USERNAME``, ``..._PASSWORD`` and
   (optional, the enable secret) ``..._SECRET``; the profile is upper-cased and
   ``-`` / ``.`` become ``_`` (profile ``core-net.v2`` -> ``NETCENSUS_CORE_NET_V2_*``);
2. a credentials file (YAML, ``{profile: {username, password, secret}}``) that
   must be mode 0600 and must not sit inside a git work tree;
3. an interactive prompt, only when standard input is a terminal.

A profile that none of them resolves is an :class:`CredentialError` naming the
profile and the variables to set, raised before any device is contacted.
"""

from __future__ import annotations

import getpass
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.errors import InputError, Problem

ENV_PREFIX = "NETCENSUS_"


@dataclass(frozen=True, slots=True)
class Credentials:
    """A username, a password and an optional enable secret. Their repr hides the secrets."""

    username: str
    password: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # never let a secret reach a log through repr()
        return f"Credentials(username={self.username!r}, password=***, secret={'***' if self.secret else None})"

    __str__ = __repr__


class CredentialError(InputError):
    """Credentials are missing, or a credentials file is unsafe or malformed."""


def env_names(profile: str) -> tuple[str, str, str]:
    """The three environment variable names of a profile.

    >>> env_names("core-net.v2")
    ('NETCENSUS_CORE_NET_V2_USERNAME', 'NETCENSUS_CORE_NET_V2_PASSWORD', 'NETCENSUS_CORE_NET_V2_SECRET')
    """
    stem = ENV_PREFIX + re.sub(r"[-.]", "_", profile).upper()
    return f"{stem}_USERNAME", f"{stem}_PASSWORD", f"{stem}_SECRET"


def from_env(profile: str, env: Mapping[str, str]) -> Credentials | None:
    """The profile's credentials from environment variables, if username and password are set."""
    user_var, pass_var, secret_var = env_names(profile)
    username, password = env.get(user_var), env.get(pass_var)
    if not username or password is None:
        return None
    return Credentials(username, password, env.get(secret_var) or None)


def load_credentials_file(path: Path) -> dict[str, Credentials]:
    """Read a credentials file after checking it is private and outside any repository."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise CredentialError([Problem(str(path), None, None, "credentials file not found")])
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CredentialError([Problem(
            str(path), None, None,
            f"credentials file has mode {mode:04o}; it must be readable by its owner only "
            f"(chmod 600 {path})")])
    repo = _enclosing_repository(path.resolve())
    if repo is not None:
        raise CredentialError([Problem(
            str(path), None, None,
            f"credentials file is inside the git work tree {repo}; keep it outside any repository")])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        raise CredentialError([Problem(str(path), line, None, "not valid YAML")]) from None
    except RecursionError:  # PyYAML composes recursively: nesting thousands deep
        raise CredentialError([Problem(str(path), None, None, "not valid YAML: nested too deeply")]) from None
    if not isinstance(data, dict):
        raise CredentialError([Problem(str(path), 1, None, "expected a mapping of profile -> credentials")])
    found: dict[str, Credentials] = {}
    problems: list[Problem] = []
    for profile, entry in data.items():
        if not isinstance(entry, dict) or not entry.get("username") or entry.get("password") is None \
                or not all(isinstance(entry.get(k), _SCALARS) for k in ("username", "password", "secret")):
            # The message names the profile and the fields, never a value.
            problems.append(Problem(str(path), None, str(profile), "needs 'username' and 'password'"))
            continue
        unknown = set(entry) - {"username", "password", "secret"}
        if unknown:
            problems.append(Problem(str(path), None, str(profile), _unknown_keys(unknown)))
            continue
        found[str(profile)] = Credentials(str(entry["username"]), str(entry["password"]),
                                          str(entry["secret"]) if entry.get("secret") else None)
    if problems:
        raise CredentialError(problems)
    return found


#: What a credential value may be: text, or a number YAML read from digits (an alias to a list
#: is no password, and turning a nested alias bomb into text would never end).
_SCALARS = (str, int, float, type(None))

#: What a misspelt key of a credentials entry looks like: one short word of letters. Anything
#: else may be a value written without its colon (``secret s3cr3t`` in a flow mapping, a lone
#: ``Pa55word``), never to be echoed.
_KEY_NAME = re.compile(r"[A-Za-z][A-Za-z_-]{0,29}")


def _unknown_keys(keys: Iterable[object]) -> str:
    """The problem of unknown keys, naming only those that read as key names.

    >>> _unknown_keys(["pasword", "secret s3cr3t"])
    "unknown keys ['pasword'] and 1 more key that is no key name (a value without its ':'?)"
    """
    every = list(keys)
    named = sorted(k for k in every if isinstance(k, str) and _KEY_NAME.fullmatch(k))
    hidden = len(every) - len(named)
    parts = [f"unknown keys {named}"] if named else []
    if hidden:
        parts.append(f"{hidden} {'more ' if named else ''}{'key' if hidden == 1 else 'keys'} "
                     f"{'that is' if hidden == 1 else 'that are'} no key name (a value without its ':'?)")
    return " and ".join(parts)


def _enclosing_repository(path: Path) -> Path | None:
    for parent in path.parents:
        if (parent / ".git").exists():
            return parent
    return None


Prompter = Callable[[str], Credentials]


def prompt_credentials(profile: str) -> Credentials:
    """Ask for a profile's credentials on the terminal (input is not echoed for secrets)."""
    print(f"Credentials for profile {profile!r}", file=sys.stderr)
    username = input("  username: ")
    password = getpass.getpass("  password: ")
    secret = getpass.getpass("  enable secret (empty for none): ")
    return Credentials(username, password, secret or None)


def resolve_credentials(
    profiles: Iterable[str],
    *,
    env: Mapping[str, str] | None = None,
    credentials_file: Path | None = None,
    prompt: Prompter | None = None,
) -> dict[str, Credentials]:
    """Resolve every profile, or raise :class:`CredentialError` listing those left.

    ``prompt`` is called for profiles that the environment and the file leave
    unresolved; pass :func:`prompt_credentials` when stdin is a terminal, None otherwise.
    """
    env = os.environ if env is None else env
    from_file = load_credentials_file(credentials_file) if credentials_file else {}
    resolved: dict[str, Credentials] = {}
    missing: list[str] = []
    for profile in sorted(set(profiles)):
        creds = from_env(profile, env) or from_file.get(profile)
        if creds is None and prompt is not None:
            creds = prompt(profile)
        if creds is None:
            missing.append(profile)
        else:
            resolved[profile] = creds
    if missing:
        raise CredentialError([
            Problem("credentials", None, profile,
                    "no credentials: set {} and {} (and optionally {}), use --credentials-file, "
                    "or run on a terminal to be prompted".format(*env_names(profile)))
            for profile in missing
        ])
    return resolved
