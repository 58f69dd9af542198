"""Renderers: they format an :class:`analysis.context.AuditResult`, never compute.

Each renderer is registered by format name (``json``, ``markdown``, ``terminal``,
...) and writes into an output folder; see :mod:`reports.registry`.
"""
