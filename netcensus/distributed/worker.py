"""The worker: ``netcensus worker --queue KEY`` on a collector host inside KEY's network.

An RQ worker of the shard queues it is given. Its own settings (credentials file, known_hosts,
host-key policy, sessions at once) are put into its environment, which the job processes
RQ starts for each shard inherit: they never travel through the broker.

Death detection: RQ runs each shard in a separate job process and keeps the job's entry in
the queue's StartedJobRegistry alive with a heartbeat every ``heartbeat_s``. The entry
expires ``grace_s`` after the last heartbeat; the dispatcher's sweep then finds the job
abandoned and RQ puts it back on its queue (``Retry``). RQ's own grace is 60 s; a province
may keep it, the tests shorten it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from pathlib import Path

from rq import Queue, Worker
from rq.job import Job

from collectors.credentials import load_credentials_file
from core.errors import InputError, Problem
from netcensus.distributed.broker import SERIALIZER, connect, queue_name
from netcensus.distributed.shard_job import ENV_CREDENTIALS_FILE, ENV_HOST_KEYS, ENV_KNOWN_HOSTS, ENV_SESSIONS

DEFAULT_HEARTBEAT_S = 30
DEFAULT_GRACE_S = 60


class ShardWorker(Worker):
    """An RQ worker whose heartbeat expiry is ``heartbeat interval + grace_s``."""

    grace_s: int = DEFAULT_GRACE_S

    def get_heartbeat_ttl(self, job: Job) -> int:
        """The job's registry entry lives this long past each heartbeat."""
        interval = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            interval = min(interval, max(1, int(job.timeout - self.current_job_working_time)))
        return int(interval) + self.grace_s


def worker_environment(credentials_file: Path | None, known_hosts: Path | None, host_keys: str,
                       sessions: int) -> dict[str, str]:
    """The variables the shard jobs read (see :func:`netcensus.distributed.shard_job.worker_options`)."""
    env = {ENV_HOST_KEYS: host_keys, ENV_SESSIONS: str(sessions)}
    if credentials_file is not None:
        env[ENV_CREDENTIALS_FILE] = str(Path(credentials_file).expanduser().resolve())
    if known_hosts is not None:
        env[ENV_KNOWN_HOSTS] = str(Path(known_hosts).expanduser().resolve())
    return env


def run_worker(keys: Sequence[str], url: str, *, credentials_file: Path | None = None,
               known_hosts: Path | None = None, host_keys: str = "strict", sessions: int = 20,
               heartbeat_s: int = DEFAULT_HEARTBEAT_S, grace_s: int = DEFAULT_GRACE_S, burst: bool = False,
               name: str | None = None, logging_level: str = "WARNING") -> bool:
    """Work the queues of ``keys`` until stopped (or, with ``burst``, until they are empty).

    Checks the credentials file (mode, place, syntax) before taking any job, so a host set
    up wrongly says so at once instead of failing every shard it takes.
    """
    if not keys:
        raise InputError([Problem("--queue", None, None, "give at least one --queue KEY")])
    if sessions < 1 or heartbeat_s < 1 or grace_s < 1:
        raise InputError([Problem("options", None, None, "--sessions, --heartbeat and --grace must be at least 1")])
    if credentials_file is not None:
        load_credentials_file(credentials_file)  # raises CredentialError naming the file
    os.environ.update(worker_environment(credentials_file, known_hosts, host_keys, sessions))
    redis = connect(url)
    queues = [Queue(queue_name(k), connection=redis, serializer=SERIALIZER) for k in keys]
    worker_class = type("ShardWorker", (ShardWorker,), {"grace_s": grace_s})
    worker = worker_class(queues, connection=redis, serializer=SERIALIZER, job_monitoring_interval=heartbeat_s,
                          name=name or f"{socket.gethostname()}.{os.getpid()}")
    return worker.work(burst=burst, logging_level=logging_level, with_scheduler=False)
