"""One plugin register for every kind of plugin (checks, report renderers), after nornir's.

A :class:`Register` maps a name (a check code, a report format) to a plugin:
``register(name, plugin)``, ``get(name)``, and ``available`` (the plain dict of what is
registered). The bundled plugins register themselves when their modules are imported;
:meth:`Register.load` imports the modules of their package by name, so the package that
holds a register never imports its plugins statically (no import cycle between them), then
loads the plugins of installed distributions, declared as entry points in the register's
group::

    [project.entry-points."netcensus.checks"]
    CTY001 = "city_checks.owners:sites_without_owner"

A name is taken once: a different plugin under a taken name raises
:class:`DuplicatePluginError`, an unknown name :class:`UnknownPluginError`, and an entry
point that fails to import, is no plugin or clashes with a registered name
:class:`PluginLoadError`, whose message names the entry point and its distribution.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from typing import Generic, TypeVar, cast

from core.errors import NetcensusError

T = TypeVar("T")


class PluginError(NetcensusError):
    """A plugin could not be registered or found."""


class DuplicatePluginError(PluginError, ValueError):
    """A different plugin was registered under a name already taken."""


class UnknownPluginError(PluginError, LookupError):
    """No plugin is registered under the name asked for."""


class PluginLoadError(PluginError):
    """An entry point's plugin failed to import, is not a plugin of its kind, or clashes."""


def qualified_name(obj: object) -> str:
    """``module:qualname`` of a function or class: where a plugin is defined.

    >>> qualified_name(qualified_name)
    'core.registry:qualified_name'
    """
    module = getattr(obj, "__module__", None) or "?"
    return f"{module}:{getattr(obj, '__qualname__', type(obj).__qualname__)}"


def describe_entry_point(ep: EntryPoint) -> str:
    """The entry point as a user finds it in their package: name, value, group, distribution."""
    dist = getattr(ep, "dist", None)
    source = f", distribution {dist.name} {dist.version}" if dist is not None else ""
    return f"entry point {ep.name} = {ep.value} (group {ep.group}{source})"


def builtin_modules(package: str) -> list[str]:
    """The package and its modules, by name, in a stable order (imported, they register).

    >>> builtin_modules("core")[:2]
    ['core', 'core.errors']
    """
    path = importlib.import_module(package).__path__
    return [package, *sorted(f"{package}.{m.name}" for m in pkgutil.iter_modules(path))]


def _any_callable(obj: object) -> object:
    """The default plugin of an entry point: the loaded object itself, when it can be called."""
    if not callable(obj):
        raise TypeError(f"{obj!r} is not callable")
    return obj


class Register(Generic[T]):
    """The plugins of one kind, by name.

    ``kind`` names a plugin in messages ("check", "report format"); ``group`` is the
    entry-point group of installed plugins; the modules of the package ``builtin`` are
    imported by name on the first lookup (importing them registers the bundled plugins).
    ``identity`` says which function a plugin is (``module:qualname``): registering the
    same one again under its name, as a module imported twice does, is no clash.
    ``from_entry_point`` turns what an entry point loads into the plugin, raising
    :class:`TypeError` with the reason when it is none (default: any callable object).
    """

    def __init__(self, kind: str, group: str, builtin: str, *,
                 identity: Callable[[T], str] = qualified_name,
                 from_entry_point: Callable[[object], T] | None = None) -> None:
        self.kind = kind
        self.group = group
        self.builtin = builtin
        #: name -> plugin; read it after :meth:`load` (``get`` loads by itself).
        self.available: dict[str, T] = {}
        self._identity = identity
        self._from_entry_point = from_entry_point or cast(Callable[[object], T], _any_callable)
        self._origins: dict[str, str] = {}
        self._entry_point: str | None = None  # the one being loaded: its plugins register under it
        self._state = "unloaded"  # -> "loading" -> "loaded"

    def register(self, name: str, plugin: T) -> None:
        """Register ``plugin`` under ``name``; a different plugin under a taken name raises."""
        existing = self.available.get(name)
        if existing is not None and self._identity(existing) != self._identity(plugin):
            raise DuplicatePluginError(f"{self.kind} {name} is already taken by {self._origins[name]}")
        self.available[name] = plugin
        if existing is None:
            self._origins[name] = self._origin_of(plugin)

    def deregister(self, name: str) -> None:
        """Remove the plugin registered under ``name``."""
        if name not in self.available:
            raise UnknownPluginError(f"{self.kind} {name!r} is not registered")
        del self.available[name], self._origins[name]

    def get(self, name: str) -> T:
        """The plugin registered under ``name`` (bundled and installed plugins loaded first)."""
        self.load()
        try:
            return self.available[name]
        except KeyError:
            known = ", ".join(sorted(self.available))
            raise UnknownPluginError(f"unknown {self.kind} {name!r} (known: {known})") from None

    def origin(self, name: str) -> str:
        """Where the plugin of ``name`` comes from: built in (and where), or which entry point."""
        return self._origins[name]

    def load(self) -> None:
        """Import the bundled plugins' modules, then the entry points of the group; once.

        A failure leaves the register to try again at the next lookup (and fail the same
        way), so no audit runs with a city's plugin silently missing.
        """
        if self._state != "unloaded":  # "loading": a plugin's module looks itself up on import
            return
        self._state = "loading"
        try:
            for module in builtin_modules(self.builtin):
                importlib.import_module(module)
            for ep in sorted(entry_points(group=self.group), key=lambda e: (e.name, e.value)):
                self._load_entry_point(ep)
        except BaseException:
            self._state = "unloaded"
            raise
        self._state = "loaded"

    def refresh(self) -> None:
        """Read the entry points again at the next lookup (a plugin installed meanwhile)."""
        if self._state == "loaded":
            self._state = "unloaded"

    def _load_entry_point(self, ep: EntryPoint) -> None:
        where = describe_entry_point(ep)
        self._entry_point = where
        try:
            loaded = ep.load()
        except PluginError as e:  # the plugin's own registration clashed while its module ran
            raise PluginLoadError(f"{where}: {e}") from e
        except Exception as e:  # anything its import raised: the user's code, reported as such
            raise PluginLoadError(f"{where} failed to import: {type(e).__name__}: {e}") from e
        finally:
            self._entry_point = None
        try:
            plugin = self._from_entry_point(loaded)
        except TypeError as e:
            raise PluginLoadError(f"{where}: {e}") from None
        other_names = [n for n, p in self.available.items() if p is plugin and n != ep.name]
        if other_names:
            raise PluginLoadError(f"{where}: it is registered as {self.kind} {other_names[0]}: "
                                  f"name the entry point {other_names[0]}")
        self._entry_point = where
        try:
            self.register(ep.name, plugin)
        except DuplicatePluginError as e:
            raise PluginLoadError(f"{where}: {e}") from None
        finally:
            self._entry_point = None

    def _origin_of(self, plugin: T) -> str:
        defined = self._identity(plugin)
        if self._entry_point is not None:
            return f"{defined} ({self._entry_point})"
        module = defined.partition(":")[0]
        if module == self.builtin or module.startswith(f"{self.builtin}."):
            return f"the built-in {defined}"
        return defined
