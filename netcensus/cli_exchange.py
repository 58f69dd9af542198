"""CLI commands that exchange data with other tools: survey workbooks, Nornir, Ansible, NetBox, Batfish.

Registered on the main app by :mod:`netcensus.cli`; every bad input exits 2 with the
file, sheet, row and column (or the host) named.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from core.errors import InputError, NetcensusError
from netcensus.cli_output import fail

if TYPE_CHECKING:  # imported by the commands that need them: the CLI starts without them
    from exchange import DeviceDefaults, DeviceImport
    from inventory.model import Inventory

export_app = typer.Typer(help="Write the inventory in other tools' formats.", no_args_is_help=True)
import_app = typer.Typer(help="Bring devices or a whole inventory in from other tools.", no_args_is_help=True)


def _load(inventory: Path) -> Inventory:
    from inventory.loader import load_inventory

    try:
        return load_inventory(inventory)
    except InputError as e:
        raise fail(e) from None


def survey_template(
    out: Annotated[Path, typer.Argument(help="Workbook to write (.xlsx).")],
    lang: Annotated[str, typer.Option(metavar="zh|en", help="Headers and instructions.")] = "zh",
    department: Annotated[str | None, typer.Option(help="Pre-fill for this department id.")] = None,
) -> None:
    """Write an empty survey workbook (调查表) for departments to fill in."""
    from exchange import write_survey_template

    try:
        print(f"survey template written to {write_survey_template(out, lang=lang, department=department)}")
    except (InputError, NetcensusError, ValueError) as e:
        raise fail(e) from None


def import_survey(
    workbooks: Annotated[list[Path], typer.Argument(help="Filled workbooks, one per department.")],
    out: Annotated[Path, typer.Option("--out", help="Inventory directory to write into.")],
) -> None:
    """Validate and merge filled survey workbooks into inventory YAML (nothing written on any error)."""
    from exchange import import_surveys

    try:
        report = import_surveys(workbooks, out)
    except (InputError, NetcensusError) as e:
        raise fail(e) from None
    declared = ", ".join(f"{n} {s}" for s, n in sorted(report.declared.items()))
    print(f"imported {len(workbooks)} workbook(s) into {out}: {declared}")
    print(f"  written: {len(report.written)}, unchanged: {len(report.unchanged)}, merged duplicates: {report.merged}")
    for sheet in report.ignored_sheets:
        print(f"  ignored sheet {sheet}")


def export_survey(
    inventory: Annotated[Path, typer.Argument(help="Inventory directory.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the workbooks.")],
    lang: Annotated[str, typer.Option(metavar="zh|en", help="Workbook language.")] = "zh",
) -> None:
    """Write the inventory as survey workbooks, one per department."""
    from exchange import export_surveys

    paths = export_surveys(_load(inventory), out, lang=lang)
    print(f"{len(paths)} workbook(s) written to {out}")


@export_app.command("nornir")
def export_nornir_cmd(
    inventory: Annotated[Path, typer.Argument(help="Inventory directory.")],
    out: Annotated[Path, typer.Argument(help="Folder for hosts.yaml, groups.yaml, defaults.yaml.")],
) -> None:
    """Write a Nornir SimpleInventory (no credentials)."""
    from exchange import export_nornir

    for path in export_nornir(_load(inventory), out):
        print(path)


@export_app.command("ansible")
def export_ansible_cmd(
    inventory: Annotated[Path, typer.Argument(help="Inventory directory.")],
    out: Annotated[Path, typer.Argument(help="Ansible inventory file to write (hosts.yml).")],
) -> None:
    """Write an Ansible YAML inventory: hosts with their variables, groups per department, site
    and platform (no credentials)."""
    from exchange import export_ansible

    print(export_ansible(_load(inventory), out))


@export_app.command("batfish")
def export_batfish_cmd(
    inventory: Annotated[Path, typer.Argument(help="Inventory directory.")],
    out: Annotated[Path, typer.Argument(help="Batfish snapshot folder to write.")],
    captures: Annotated[Path, typer.Option(help="Capture directory (saved outputs).")],
) -> None:
    """Write a Batfish snapshot: redacted configs and the discovered layer-1 topology."""
    from exchange import export_batfish
    from netcensus.pipeline import prepare

    try:
        ctx = prepare(inventory, captures)
    except (InputError, NetcensusError) as e:
        raise fail(e) from None
    done = export_batfish(ctx.inventory, ctx.facts, ctx.graph, out)
    print(f"{len(done.configs)} config(s) and {done.links} link(s) written to {out}")
    for name in done.left_out:
        print(f"  left out: {name}")


def _devices_out(result: DeviceImport, out: Path) -> None:
    from exchange import write_yaml

    write_yaml(out, {"devices": list(result.devices)})
    print(f"{len(result.devices)} device(s) from {result.source} written to {out}")
    for skipped in result.skipped:
        print(f"  skipped {skipped}")


def _defaults(department: str | None, site: str | None, room: str | None,
              credentials: str | None) -> DeviceDefaults:
    from exchange import DeviceDefaults

    return DeviceDefaults(department=department, site=site, room=room, credentials=credentials)


_Department = Annotated[str | None, typer.Option(help="Department for hosts that do not say.")]
_Site = Annotated[str | None, typer.Option(help="Site for hosts that do not say.")]
_Room = Annotated[str | None, typer.Option(help="Room for hosts that do not say.")]
_Credentials = Annotated[str | None, typer.Option(help="Credential profile name for hosts that do not say.")]
_Out = Annotated[Path, typer.Option("--out", help="YAML file to write (e.g. INVENTORY/devices-imported.yaml).")]


@import_app.command("nornir")
def import_nornir_cmd(
    directory: Annotated[Path, typer.Argument(help="Nornir SimpleInventory folder.")],
    out: _Out, department: _Department = None, site: _Site = None, room: _Room = None,
    credentials: _Credentials = None,
) -> None:
    """Import devices from a Nornir SimpleInventory."""
    from exchange import import_nornir

    try:
        _devices_out(import_nornir(directory, _defaults(department, site, room, credentials)), out)
    except (InputError, NetcensusError) as e:
        raise fail(e) from None


@import_app.command("ansible")
def import_ansible_cmd(
    path: Annotated[Path, typer.Argument(help="Ansible inventory (YAML, or `ansible-inventory --list` JSON).")],
    out: _Out, department: _Department = None, site: _Site = None, room: _Room = None,
    credentials: _Credentials = None,
) -> None:
    """Import devices from an Ansible inventory, mapping ansible_network_os to our platforms."""
    from exchange import import_ansible

    try:
        _devices_out(import_ansible(path, _defaults(department, site, room, credentials)), out)
    except (InputError, NetcensusError) as e:
        raise fail(e) from None


@import_app.command("netbox")
def import_netbox_cmd(
    url: Annotated[str, typer.Argument(help="NetBox base URL.")],
    token_env: Annotated[str, typer.Option(help="Environment variable holding the API token.")],
    out: Annotated[Path, typer.Option("--out", help="Inventory directory to write netbox.yaml into.")],
) -> None:
    """Import sites, racks, tenants, devices and circuits from NetBox (see docs/netbox.md)."""
    from exchange import import_netbox

    token = os.environ.get(token_env)
    if not token:
        raise fail(f"environment variable {token_env} is not set (it must hold the NetBox API token)")
    try:
        report = import_netbox(url, token, out)
    except (InputError, NetcensusError) as e:
        raise fail(e) from None
    counts = ", ".join(f"{n} {s}" for s, n in sorted(report.counts.items()))
    print(f"written {report.path}: {counts}")
    for note in report.unmapped:
        print(f"  not mapped: {note}")
    for note in report.to_fill:
        print(f"  to fill in: {note}")


def register(app: typer.Typer) -> None:
    """Add the exchange commands to the main app."""
    app.command("survey-template")(survey_template)
    app.command("import-survey")(import_survey)
    app.command("export-survey")(export_survey)
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
