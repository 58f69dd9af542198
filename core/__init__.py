"""The bottom layer: what every other package needs and nothing of theirs.

``core.errors`` (``Problem`` and the input errors every layer raises), ``core.platforms``
(the platform table), ``core.registry`` (the plugin register of checks and report formats)
and ``core.version``. It imports no other package of the project.
"""
