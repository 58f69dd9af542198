"""Import a NetBox instance into a netcensus inventory, with pynetbox.

``import_netbox(url, token, out_dir)`` reads tenants, sites, locations, racks, devices,
circuits and circuit terminations through NetBox's REST API, maps them
(:mod:`exchange.netbox_map`, table in ``docs/netbox.md``), checks the result
with the inventory loader and writes ``out_dir/netbox.yaml``. The token goes into the
``Authorization`` header only: it is never logged, written or put into a message.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pynetbox
import requests

from core.errors import InputError, InventoryError, Problem
from exchange.netbox_map import NetboxData, Note, map_netbox
from exchange.writer import sections_yaml, write_text_atomic
from inventory.loader import load_inventory

__all__ = ["NETBOX_FILE", "NetboxReport", "fetch_netbox", "import_netbox"]

NETBOX_FILE = "netbox.yaml"

#: Seconds to wait for NetBox to answer one request.
TIMEOUT = 30.0

#: (NetboxData field, pynetbox app, endpoint) of everything an import reads.
_ENDPOINTS = (
    ("tenants", "tenancy", "tenants"),
    ("sites", "dcim", "sites"),
    ("locations", "dcim", "locations"),
    ("racks", "dcim", "racks"),
    ("devices", "dcim", "devices"),
    ("circuits", "circuits", "circuits"),
    ("circuit_terminations", "circuits", "circuit_terminations"),
)


@dataclass(frozen=True)
class NetboxReport:
    """What a NetBox import wrote, and what it could not map."""

    path: Path
    counts: dict[str, int]  # section -> entries written
    unmapped: tuple[Note, ...]  # NetBox objects left out, with the reason
    to_fill: tuple[Note, ...]  # entries written with a stand-in for data NetBox lacks


class _TimeoutSession(requests.Session):
    """A session whose requests time out (pynetbox passes none; a stuck server must not hang the CLI)."""

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(method, url, *args, **kwargs)


def import_netbox(url: str, token: str | None, out_dir: Path | str) -> NetboxReport:
    """Read NetBox at ``url`` (its web address, with or without ``/api``) into ``out_dir/netbox.yaml``.

    Raises :class:`InputError` when NetBox cannot be reached or refuses the token, and
    when the mapped inventory does not validate (then nothing is written).
    """
    mapping = map_netbox(fetch_netbox(url, token))
    text = sections_yaml(mapping.sections(), header=f"Imported from NetBox at {_public_url(url)} by "
                                                    "netcensus import netbox.\nSee docs/netbox.md for the mapping.")
    _check(text)
    out = Path(out_dir)
    path = out / NETBOX_FILE
    write_text_atomic(path, text)
    counts = {name: len(items) for name, items in mapping.sections().items()}
    return NetboxReport(path, counts, tuple(mapping.unmapped), tuple(mapping.to_fill))


def fetch_netbox(url: str, token: str | None) -> NetboxData:
    """Every object an import reads, as plain dictionaries (all pages of each list)."""
    api = pynetbox.api(_base_url(url), token=token or None)
    api.http_session = _TimeoutSession()
    where = _public_url(url)
    lists: dict[str, list[dict[str, Any]]] = {}
    for name, app, endpoint in _ENDPOINTS:
        try:
            lists[name] = [dict(record) for record in getattr(getattr(api, app), endpoint).all()]
        except pynetbox.RequestError as exc:
            status = exc.req.status_code
            why = ("NetBox refused the token" if status in (401, 403) else f"NetBox answered HTTP {status}")
            raise InputError([Problem(where, None, f"{app}/{endpoint}", f"{why}: {_first_line(exc.error)}")]) \
                from None
        except (requests.RequestException, pynetbox.ContentError) as exc:
            raise InputError([Problem(where, None, f"{app}/{endpoint}",
                                      f"cannot read NetBox: {_first_line(str(exc))}")]) from None
    return NetboxData(**lists)


def _check(text: str) -> None:
    """Load the mapped inventory on its own: an import that fails validation writes nothing."""
    with tempfile.TemporaryDirectory(prefix="netcensus-netbox-") as tmp:
        (Path(tmp) / NETBOX_FILE).write_text(text, encoding="utf-8")
        try:
            load_inventory(tmp)
        except InventoryError as exc:
            raise InputError([Problem(f"(mapped from NetBox) {p.file}", p.line, p.field, p.message)
                              for p in exc.problems]) from None


def _base_url(url: str) -> str:
    """NetBox's web address as pynetbox wants it: without a trailing ``/api``."""
    base = url.strip().rstrip("/")
    return base[: -len("/api")] if base.endswith("/api") else base


def _public_url(url: str) -> str:
    """The URL without any user or password in it, for messages and file headers."""
    parts = urlsplit(_base_url(url))
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def _first_line(text: Any) -> str:
    lines = str(text).strip().splitlines()
    return lines[0][:300] if lines else "(no detail)"

