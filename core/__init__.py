"""The bottom layer: what every other package needs and nothing of theirs.

``core.errors`` (``Problem`` and the input errors every layer raises), ``core.platforms``
(the platform table) and ``core.version``. It imports no other package of the project.
"""
