"""What a worker runs for one shard: collect its devices locally, send back a tar.gz.

The job's request carries device names, the inventory's digest (the inventory itself is
stored once in the broker under that digest) and collection options; never a credential.
The worker's own settings (credentials file, known_hosts, host-key policy, sessions) come
from the environment that ``netcensus worker`` sets, so they stay on the collector host.

The captures go back as the job's result, a base64 tar.gz: the collector hosts of different
districts share no file system, while every one of them already reaches the broker, so the
broker is the one channel (a district of 3,300 devices is a few MB compressed). They are
redacted before they leave: :func:`netcensus.collect.collect` writes only redacted outputs.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import io
import json
import os
import socket
import tarfile
import tempfile
import threading
from pathlib import Path
from typing import Any

from rich.console import Console

from collectors.manifest import MANIFEST_NAME
from core.errors import InputError, NetcensusError
from inventory.model import Inventory
from netcensus.collect import LOCK_NAME, CollectOptions, collect
from netcensus.distributed.broker import INVENTORY_KEY
from netcensus.distributed.shards import inventory_from_payload

FORMAT = 1
#: The worker's own settings, set by ``netcensus worker`` for the job processes it starts.
ENV_CREDENTIALS_FILE = "NETCENSUS_WORKER_CREDENTIALS_FILE"
ENV_KNOWN_HOSTS = "NETCENSUS_WORKER_KNOWN_HOSTS"
ENV_HOST_KEYS = "NETCENSUS_WORKER_HOST_KEYS"
ENV_SESSIONS = "NETCENSUS_WORKER_SESSIONS"
#: Collection options a dispatcher may set for its shards (nothing that names a local file).
REQUEST_OPTIONS = ("connect_timeout_s", "command_timeout_s", "retries", "backoff_s", "transport")
_PROGRESS_EVERY_S = 1.0


def collect_shard(request: dict[str, Any]) -> dict[str, Any]:
    """Collect the request's devices; the result holds the captures or the reason there are none.

    A problem of this host's setup (no credentials for a profile, no known_hosts) is a
    result with ``error``, not an exception: retrying elsewhere on the same queue would meet
    the same setup, and the dispatcher records the devices as not collected with the reason.
    A crash or the death of the worker is left to RQ (the job is retried).
    """
    from rq import get_current_job

    job = get_current_job()
    if request.get("format") != FORMAT:
        return _answer(request, error=f"request format {request.get('format')!r}, this worker reads {FORMAT}")
    digest = str(request["inventory"])
    key = INVENTORY_KEY.format(run=request.get("run"), digest=digest)
    text = job.connection.get(key) if job is not None else None
    if text is None:
        return _answer(request, error=f"inventory {digest[:12]} is no longer in the broker")
    try:
        inventory = shard_inventory(inventory_from_payload(digest, text), request["devices"])
        options = worker_options(request.get("options") or {})
        with tempfile.TemporaryDirectory(prefix="netcensus-shard-") as tmp:
            out = Path(tmp) / "captures"
            with _Progress(job, out):
                run = collect(inventory, out, options, Console(stderr=True))
            return _answer(request, archive=pack(out), summary=run.manifest.summary())
    except (InputError, NetcensusError, ValueError) as exc:
        return _answer(request, error=str(exc))


def shard_inventory(inventory: Inventory, devices: list[str]) -> Inventory:
    """The inventory with only the shard's devices (collect() then takes them all).

    A device filter of names would do the same with one pattern per device, matched against
    every device: quadratic in a district of thousands. Raises ValueError naming devices the
    inventory does not have (dispatcher and worker disagree about the inventory).
    """
    unknown = [d for d in devices if d not in inventory.devices]
    if unknown:
        raise ValueError(f"devices not in the inventory: {', '.join(unknown[:5])}")
    return dataclasses.replace(inventory, devices={d: inventory.devices[d] for d in devices})


def worker_options(requested: dict[str, Any], env: dict[str, str] | None = None) -> CollectOptions:
    """The shard's collection options: the request's timeouts, this host's files and policy."""
    env = dict(os.environ) if env is None else env
    chosen = {k: requested[k] for k in REQUEST_OPTIONS if requested.get(k) is not None}
    local: dict[str, Any] = {"host_keys": env.get(ENV_HOST_KEYS) or "strict", "prompt": False}
    if env.get(ENV_CREDENTIALS_FILE):
        local["credentials_file"] = Path(env[ENV_CREDENTIALS_FILE])
    if env.get(ENV_KNOWN_HOSTS):
        local["known_hosts"] = Path(env[ENV_KNOWN_HOSTS])
    if env.get(ENV_SESSIONS):
        local["workers"] = int(env[ENV_SESSIONS])
    return CollectOptions(**chosen, **local)


def pack(captures: Path) -> str:
    """The capture folder (device folders and manifest) as a base64 tar.gz."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        for path in sorted(captures.rglob("*")):
            if path.name == LOCK_NAME or path.is_symlink() or not (path.is_file() or path.is_dir()):
                continue
            tar.add(path, arcname=str(path.relative_to(captures)), recursive=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _answer(request: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"format": FORMAT, "shard": request.get("shard"), "host": socket.gethostname(),
            "archive": None, "summary": {}, "error": None, **fields}


class _Progress:
    """While the shard runs, publish how many of its devices are done (``job.meta["done"]``).

    It reads the manifest that :func:`collect` rewrites every two seconds, so the
    dispatcher's progress bar moves without any protocol of our own.
    """

    def __init__(self, job: Any, captures: Path):
        self.job, self.captures = job, captures
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="shard-progress", daemon=True)

    def __enter__(self) -> _Progress:
        if self.job is not None:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def _loop(self) -> None:
        last = -1
        while not self.stop.wait(_PROGRESS_EVERY_S):
            try:
                data = json.loads((self.captures / MANIFEST_NAME).read_text(encoding="utf-8"))
                done = len(data.get("devices") or {})
            except (OSError, ValueError):
                continue
            if done != last:
                last = done
                self.job.meta["done"] = done
                with contextlib.suppress(Exception):
                    self.job.save_meta()
