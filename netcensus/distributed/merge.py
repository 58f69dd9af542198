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
import shutil
import tarfile
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
    as in :func:`netcensus.collect.write_device`). Raises :class:`ShardResultError`.
    """
    wanted = set(devices)
    try:
        data = base64.b64decode(archive_b64, validate=True)
        tar = tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")  # noqa: SIM115 - closed by the with below
    except (binascii.Error, tarfile.TarError, ValueError) as exc:
        raise ShardResultError(f"shard {shard}: unreadable result ({exc})") from None
    files: dict[str, bytes] = {}
    manifest_text: str | None = None
    total = 0
    with tar:
        for member in tar:
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
            handle = tar.extractfile(member)
            content = handle.read() if handle is not None else b""
            if path.parts == (MANIFEST_NAME,):
                manifest_text = content.decode("utf-8", errors="replace")
            elif len(path.parts) == 2 and path.parts[0] in wanted:
                files[member.name] = content
            else:
                raise ShardResultError(f"shard {shard}: member {member.name!r} is no file of its devices")
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
    for member_name, content in sorted(files.items()):
        device, filename = PurePosixPath(member_name).parts
        if device not in manifest.devices:  # recorded "not collected" by the dispatcher: no folder
            continue
        write_file(device_dir(captures, device) / filename, content.decode("utf-8", errors="replace"))
    return ShardCaptures(manifest, sorted({PurePosixPath(n).parts[0] for n in files} & set(manifest.devices)))


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
