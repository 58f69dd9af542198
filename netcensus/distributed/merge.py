"""Unpack the shards' results into one capture folder and merge their manifests.

A result comes from another host through the broker, so it is read as untrusted input:
only regular files and folders, only under the folders of the shard's own devices (plus its
manifest), no link, no absolute or ``..`` path, bounded sizes. The merged ``manifest.json``
is what a single-host run would have written: every device once, the summary recounted.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from collectors.capture import MAX_CAPTURE_BYTES, device_dir, write_file
from collectors.manifest import FORMAT, MANIFEST_NAME, DeviceRecord, Manifest
from inventory.model import Device

#: A shard's archive, unpacked, may not exceed this (a district's captures are tens of MB).
MAX_SHARD_BYTES = 4 * 1024 * 1024 * 1024


class ShardResultError(ValueError):
    """A shard's result cannot be used; the message names the shard and the member."""


@dataclass
class ShardCaptures:
    """What one shard brought back: its manifest, the device folders written."""

    manifest: Manifest
    devices: list[str] = field(default_factory=list)


def unpack(shard: str, archive_b64: str, devices: Iterable[str], captures: Path) -> ShardCaptures:
    """Write a shard's device folders into ``captures`` and return its manifest.

    Each device folder of the shard is replaced as a whole (a folder reflects one attempt,
    as in :func:`netcensus.collect.write_device`). Raises :class:`ShardResultError`, having
    written nothing into ``captures``.
    """
    wanted = set(devices)
    try:
        data = base64.b64decode(archive_b64, validate=True)
        tar = tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")  # noqa: SIM115 - closed by the with below
    except (binascii.Error, tarfile.TarError, ValueError) as exc:
        raise ShardResultError(f"shard {shard}: unreadable result ({exc})") from None
    # Files wait in a hidden folder of the captures (beside them while there are none) until
    # the whole result is checked: held in memory, a few MB of compressed zeros would have
    # cost the dispatcher MAX_SHARD_BYTES. The same file system: each device folder is renamed.
    staging = Path(tempfile.mkdtemp(prefix=".netcensus-unpack-",
                                    dir=captures if captures.is_dir() else captures.parent))
    try:
        with tar:
            manifest_text = _stage(shard, tar, wanted, staging)
        if manifest_text is None:
            raise ShardResultError(f"shard {shard}: result holds no {MANIFEST_NAME}")
        manifest = manifest_from_json(shard, manifest_text)
        stray = set(manifest.devices) - wanted
        if stray:
            raise ShardResultError(f"shard {shard}: manifest records devices of another shard: {sorted(stray)[:5]}")
        for name in wanted:
            folder = device_dir(captures, name)
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder)
        written = []
        for name in sorted(manifest.devices):  # a device the manifest does not report gets no folder
            if (staging / name).is_dir():
                captures.mkdir(parents=True, exist_ok=True)
                os.replace(staging / name, device_dir(captures, name))
                written.append(name)
        return ShardCaptures(manifest, written)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _stage(shard: str, tar: tarfile.TarFile, wanted: set[str], staging: Path) -> str | None:
    """Write the device files of ``tar`` under ``staging``, one member in memory at a time;
    return the manifest's text. Raises :class:`ShardResultError` at the first member refused."""
    manifest_text: str | None = None
    total = 0
    while (member := tar.next()) is not None:
        tar.members.clear()  # tarfile keeps every header read (~400 bytes each): headers alone would add up
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ShardResultError(f"shard {shard}: member {member.name!r} leaves the capture folder")
        if member.isdir():
            continue
        if not member.isfile():
            raise ShardResultError(f"shard {shard}: member {member.name!r} is not a regular file")
        if member.size > MAX_CAPTURE_BYTES:
            raise ShardResultError(f"shard {shard}: member {member.name!r} is larger than a capture may be")
        total += member.size
        if total > MAX_SHARD_BYTES:
            raise ShardResultError(f"shard {shard}: result larger than {MAX_SHARD_BYTES} bytes unpacked")
        is_manifest = path.parts == (MANIFEST_NAME,)
        if not is_manifest and not (len(path.parts) == 2 and path.parts[0] in wanted):
            raise ShardResultError(f"shard {shard}: member {member.name!r} is no file of its devices")
        handle = tar.extractfile(member)
        text = (handle.read() if handle is not None else b"").decode("utf-8", errors="replace")
        if is_manifest:
            manifest_text = text
        else:
            write_file(staging / path.parts[0] / path.parts[1], text)
    return manifest_text


def manifest_from_json(shard: str, text: str) -> Manifest:
    """A shard's manifest from its JSON text (the format of :mod:`collectors.manifest`)."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"expected a manifest of format {FORMAT}")
        records = data.get("devices") or {}
        if not isinstance(records, dict):
            raise ValueError("devices is not a mapping of device -> record")
        devices = {name: _device_record(name, rec) for name, rec in records.items()}
        return Manifest(started=data["started"], finished=data.get("finished"),
                        interrupted=bool(data.get("interrupted")), versions=data.get("versions") or {},
                        options=data.get("options") or {}, devices=devices)
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        raise ShardResultError(f"shard {shard}: unreadable {MANIFEST_NAME} ({exc})") from None


#: The JSON types of a device record's fields (a shard's manifest is checked, not trusted).
_RECORD_TYPES: dict[str, tuple[type, ...]] = {
    "status": (str,), "platform": (str,), "transport": (str,), "host": (str,), "port": (int,),
    "credentials_profile": (str,), "started": (str, type(None)), "duration_s": (int, float),
    "attempts": (int,), "error": (str, type(None)), "problems": (list,), "files": (list,),
    "from_previous_run": (bool,),
}


def _device_record(name: str, rec: Any) -> DeviceRecord:
    """One device's record of a shard's manifest, its fields of the types the merged manifest needs.

    A status that is no string would only fail when the merged manifest is counted and written,
    after every shard came back. The shard collected in an empty folder, so nothing it reports
    is ``from_previous_run``; its file names are plain names inside the device's folder.
    """
    if not isinstance(rec, dict):
        raise ValueError(f"device {name!r}: record is not a mapping")
    unknown = set(rec) - set(_RECORD_TYPES)
    if unknown:
        raise ValueError(f"device {name!r}: unknown fields {sorted(unknown)}")
    for key, types in _RECORD_TYPES.items():
        value = rec.get(key)
        if key in rec and (not isinstance(value, types) or (isinstance(value, bool) and bool not in types)):
            raise ValueError(f"device {name!r}: {key} is {type(value).__name__}")
    for key in ("problems", "files"):
        if not all(isinstance(item, str) for item in rec.get(key) or []):
            raise ValueError(f"device {name!r}: {key} holds a value that is no string")
    if any(PurePosixPath(f).name != f or f in ("", ".", "..") for f in rec.get("files") or []):
        raise ValueError(f"device {name!r}: files names a path, not a file of its folder")
    return DeviceRecord(**{**rec, "from_previous_run": False})


def not_collected(device: Device, reason: str) -> DeviceRecord:
    """The record of a device whose shard never came back: ``missing``, with the reason.

    The same status a single-host run gives a device it never started (an interrupted run).
    """
    return DeviceRecord(status="missing", platform=device.platform, transport=device.transport,
                        host=device.host, port=device.port, credentials_profile=device.credentials,
                        error=f"not collected: {reason}")


def merge_manifests(started: str, finished: str, versions: Mapping[str, str], options: Mapping[str, Any],
                    shards: Mapping[str, Manifest], failed: Mapping[str, DeviceRecord],
                    previous: Manifest | None = None) -> Manifest:
    """One manifest for the whole dispatch.

    Devices: those of the previous manifest of the folder (marked ``from_previous_run``, as
    ``netcensus collect`` keeps them), then each shard's, then the records of failed shards.
    ``interrupted`` is true when any shard's collection was. Each shard's own options and
    versions are kept under ``options["shards"][name]``.
    """
    merged = Manifest(started=started, finished=finished, versions=dict(versions), options=dict(options))
    if previous is not None:
        for name, record in previous.devices.items():
            record.from_previous_run = True
            merged.devices[name] = record
    shard_options: dict[str, Any] = dict(merged.options.get("shards") or {})
    for name, manifest in sorted(shards.items()):
        merged.interrupted = merged.interrupted or manifest.interrupted
        entry = dict(shard_options.get(name) or {})
        entry.update(started=manifest.started, finished=manifest.finished, options=manifest.options,
                     versions=manifest.versions)
        shard_options[name] = entry
        for device, record in manifest.devices.items():
            merged.devices[device] = record
    merged.devices.update(failed)
    merged.options["shards"] = shard_options
    return merged


def write_merged(captures: Path, manifest: Manifest) -> Path:
    """Write the merged manifest atomically."""
    return write_file(captures / MANIFEST_NAME, manifest.to_json())
