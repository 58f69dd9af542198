"""netcensus' own TextFSM templates (data only; see README.md here).

A package so that the ``*.textfsm`` files ship with the project's package data.
"""
