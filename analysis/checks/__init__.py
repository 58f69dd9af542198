"""Bundled checks, one module per family.

Importing a module registers its checks; ``analysis.registry.CHECKS`` imports every module
of this package by name on its first lookup (``analysis.registry.load_builtin_checks``).
"""
