"""Test-only code shared by every test folder and the benchmarks (never shipped in the package).

* :mod:`support.citybuild` - small hand-built cities: inventories, facts and audit contexts
* :mod:`support.emulator` - an SSH server replaying captures as if it were network devices

``tests/conftest.py`` puts ``tests/`` on ``sys.path``, so any test imports them as
``from support.citybuild import city``; a benchmark or a child process puts ``tests/`` there
itself.
"""
