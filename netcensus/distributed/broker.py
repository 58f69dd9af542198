"""The Redis connection and the names netcensus uses in it.

Both ends (dispatcher and workers) connect with a retry policy: a broker restarted mid-run
(Redis with persistence, see docs/scaling.md) costs a pause, not the run. Queue names carry a
prefix so netcensus shares a Redis with other RQ users without mixing jobs.
"""

from __future__ import annotations

import os
import re

from redis import Redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError
from redis.retry import Retry
from rq.serializers import JSONSerializer

DEFAULT_URL = "redis://127.0.0.1:6379/0"
URL_ENV = "NETCENSUS_REDIS_URL"
QUEUE_PREFIX = "netcensus."
INVENTORY_KEY = "netcensus:inventory:{run}:{digest}"  # per dispatch: two at once never share one
#: RQ's pickle serializer would let anyone who can write to the broker run code on every
#: collector host; job arguments and results are plain JSON instead.
SERIALIZER = JSONSerializer
#: Reconnection attempts of one command: exponential backoff capped at 2 s, about a minute.
_RETRIES = 30


def redis_url(given: str | None) -> str:
    """The broker URL: the option, else ``NETCENSUS_REDIS_URL``, else the local default."""
    return given or os.environ.get(URL_ENV) or DEFAULT_URL


def connect(url: str) -> Redis:
    """A client that retries commands while the broker is away or still loading its data."""
    retry = Retry(ExponentialBackoff(cap=2.0, base=0.1), _RETRIES)
    return Redis.from_url(url, retry=retry, retry_on_error=[ConnectionError, TimeoutError, BusyLoadingError],
                          health_check_interval=10, socket_connect_timeout=5, socket_keepalive=True)


def queue_name(key: str) -> str:
    """The RQ queue of a routing key.

    >>> queue_name("xc")
    'netcensus.xc'
    """
    return QUEUE_PREFIX + key


def redact_url(url: str) -> str:
    """The URL with any password replaced, for messages and logs.

    >>> redact_url("redis://:s3cret@broker:6379/0")
    'redis://:***@broker:6379/0'
    >>> redact_url("rediss://survey:s3cret@broker/1")
    'rediss://survey:***@broker/1'
    >>> redact_url("redis://:p@ss/w@broker:6379/0"), redact_url("redis://broker/0?password=s3cret&db=1")
    ('redis://:***@broker:6379/0', 'redis://broker/0?password=***&db=1')
    """
    # Up to the last '@': redis-py takes a password with '@' in it unquoted (and the text after
    # a '/' in it is still the password). It also reads one from the query string.
    url = re.sub(r"^([a-z][a-z0-9+.-]*://[^:/@]*):.*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", url)
