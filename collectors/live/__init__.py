"""Live collection over SSH: netmiko, asyncssh and napalm transports behind the Collector protocol.

* :mod:`collectors.live.netmiko_transport` - raw command outputs (:class:`NetmikoCollector`)
* :mod:`collectors.live.asyncssh_transport` - the same outputs, every session in one event loop
  (:class:`AsyncsshCollector`)
* :mod:`collectors.live.napalm_transport` - napalm getter JSON (:class:`NapalmCollector`)
* :mod:`collectors.live.session` - settings, retries with backoff, results as data
* :mod:`collectors.live.errors` - exceptions -> collection status and message
* :mod:`collectors.live.progress` - rich bar on a terminal, log lines otherwise

The run itself (worker pool, filters, resume, manifest) is :func:`netcensus.collect.collect`.
The SSH device emulator the tests and benchmarks collect from is test-only code:
``tests/support/emulator.py``.
"""

import logging

# paramiko logs a traceback for every failed handshake (a hung or refused device) through
# Python's last-resort handler, i.e. on stderr over the progress bar. Failures are
# reported by the run itself; a handler here keeps them off the terminal while users
# who configure logging still receive them.
for _name in ("paramiko", "netmiko", "asyncssh"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
