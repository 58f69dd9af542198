"""Distributed live collection on RQ (Redis Queue): one queue per district (or department, site...).

``netcensus dispatch`` splits the inventory into shards by a routing key, enqueues each on the
queue named after its key, waits, retries a shard whose worker died, merges the shards'
captures and manifests into one capture folder and (``--audit``) runs the one audit.
``netcensus worker --queue KEY`` runs on a collector host inside that network and collects the
shards of its queues with the ordinary :func:`netcensus.collect.collect`.

What travels through the broker: device names, the inventory (stored once under its SHA-256),
collection options without any credential, and back the redacted captures as a tar.gz. The
credentials stay on the collector hosts (their environment or 0600 file).

Modules: :mod:`.shards` (pure planning), :mod:`.broker` (connections, names),
:mod:`.shard_job` (what a worker runs), :mod:`.merge` (unpacking and merging results),
:mod:`.dispatch` (the dispatcher), :mod:`.worker` (the worker), :mod:`.cli` (the commands).
"""
