"""The finding catalogue: every finding's title and recommendation, in English and Chinese.

A check gives a finding's code, subjects and ``args``; the words come from here, so each
text has one source. ``analysis/messages/findings.yaml`` maps a key to ``{en: ..., zh: ...}``
with ``{name}`` placeholders filled from the args:

* ``finding.<CODE>.title`` and ``finding.<CODE>.recommendation``: the finding's texts;
* ``arg.<name>.<value>``: how a text argument ``name`` with the value ``value`` reads
  (``kind="room"`` -> "machine room" / "机房"); such an entry may itself hold
  placeholders, filled from the same args, so an enum-like argument picks a clause
  (LIN005's ``decision="proposed"`` -> "{proposed_by} proposes changing this line: {cancel}.");
* ``item.<name>``: one item of a list argument whose items are mappings, filled from
  the item's keys (over the finding's args), e.g. one line of a merge and its advice.

Every finding can also use ``{subjects}`` and ``{saving_cny}``. A finding text's Chinese
uses every placeholder its English does (it may use more), and the other messages use
the same in both languages (:func:`check_catalogue`), so a translation never lacks a
fact the English gives. A check words one code several ways through variants
(``finding.<CODE>.title.2``, ...; :func:`finding_text`) or through an enum-like
argument naming an ``arg.*`` clause.

How an argument is shown, by its value and the placeholder's format spec:

* with a spec, a number or text is the raw value formatted by Python
  (``{demand_mbps:g}``, ``{yearly_cost_cny:,.0f} CNY``, ``{status:s}``: untranslated);
  ``{name!r}`` is the value quoted;
* a spec ``@ns`` shows the message ``ns.<value>`` (a second wording of one argument);
* a list takes the specs ``#`` (how many items), ``one|many`` (a word by the count),
  ``and`` ("a, b and c" / "a、b和c"), or any other text as the separator; without a
  spec its items are joined with ``, `` (English) or ``、`` (Chinese);
* without a spec: ``None`` is an em dash; ``True``/``False`` yes/no; a number whose name
  ends in ``_cny`` is money (:func:`money`); a text with an ``arg.<name>.<value>``
  entry is that entry; an id of a site, department, room or network (by the argument's
  name, :data:`REFERENCE_ARGS`) is shown by that thing's name when the reader is
  Chinese and a :data:`Names` lookup is given (English shows ids, as the JSON does).

Examples
--------
>>> render("finding.INV005.title", "en", {"device": "core1", "runs": 4})
'core1 has not been collected for 4 runs'
>>> render("finding.INV005.title", "zh", {"device": "core1", "runs": 4})
'设备 core1 已连续 4 次未能采集'
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from inventory.model import Inventory

__all__ = [
    "LANGS",
    "MESSAGES_DIR",
    "REFERENCE_ARGS",
    "CatalogueError",
    "MissingParameter",
    "Names",
    "check_catalogue",
    "display_name",
    "finding_catalogue",
    "finding_params",
    "finding_text",
    "finding_variant",
    "inventory_names",
    "load_catalogue",
    "money",
    "placeholders",
    "render",
    "variants",
]

LANGS: tuple[str, ...] = ("en", "zh")
MESSAGES_DIR = Path(__file__).with_name("messages")
DASH = "—"

#: (kind, id, lang) -> how a reader of ``lang`` names that thing.
Names = Callable[[str, str, str], str]

#: Arguments that hold the id of an inventory thing, by name: the kind of thing
#: (``"@kind"``: the kind is in the finding's ``kind`` argument, as in GOV001).
REFERENCE_ARGS: Mapping[str, str] = {
    "site": "site", "sites": "site", "into_site": "site",
    "department": "department", "departments": "department", "shared_by": "department",
    "room": "room", "into": "room",
    "network": "network", "networks": "network",
    "other_network": "network",
    "path": "site",
    "entity": "@kind",
}


class CatalogueError(ValueError):
    """A message file is unreadable, or a key is defined twice or malformed."""


class MissingParameter(KeyError):
    """A message needs a parameter (or a message) that is not there."""

    def __str__(self) -> str:
        return str(self.args[0])


def load_catalogue(folder: Path) -> dict[str, dict[str, str]]:
    """Merge every ``*.yaml`` of ``folder`` into ``key -> {lang: text}``.

    Raises :class:`CatalogueError` naming the file (and key) on a YAML error, a
    non-mapping entry, or a key already defined in another file.
    """
    merged: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise CatalogueError(f"{path}: cannot read message file: {exc}") from None
        if not isinstance(data, dict):
            raise CatalogueError(f"{path}: expected a mapping of message keys")
        for key, entry in data.items():
            if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
                raise CatalogueError(f"{path}: {key}: expected {{en: text, zh: text}}")
            if key in merged:
                raise CatalogueError(f"{path}: {key}: already defined in {origin[key]}")
            merged[str(key)] = {str(lang): text for lang, text in entry.items()}
            origin[str(key)] = path.name
    return merged


@lru_cache(maxsize=1)
def finding_catalogue() -> Mapping[str, Mapping[str, str]]:
    """The bundled finding catalogue (loaded once)."""
    return load_catalogue(MESSAGES_DIR)


def placeholders(text: str) -> set[str]:
    """The parameter names a message uses: ``"{a} {b:,.0f}"`` -> ``{"a", "b"}``."""
    return set(_placeholders(text))


@lru_cache(maxsize=4096)
def _placeholders(text: str) -> frozenset[str]:
    names = set()
    for _, field_name, _, _ in _parse(text):
        if field_name is not None:
            # "{circuit.id}" or "{ends[0]}" still need the parameter "circuit" / "ends".
            names.add(field_name.split(".")[0].split("[")[0])
    return frozenset(names)


@lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    """``string.Formatter().parse`` of a message, once per text (a city makes many findings)."""
    return tuple(string.Formatter().parse(text))


def check_catalogue(messages: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Problems of a catalogue: missing or unknown languages, placeholder mismatches."""
    problems = []
    for key, entry in sorted(messages.items()):
        missing = [lang for lang in LANGS if not entry.get(lang, "").strip()]
        if missing:
            problems.append(f"{key}: missing {', '.join(missing)}")
        unknown = sorted(set(entry) - set(LANGS))
        if unknown:
            problems.append(f"{key}: unknown language {', '.join(unknown)}")
        try:
            names = {lang: placeholders(entry[lang]) for lang in LANGS if lang in entry}
        except ValueError as exc:
            problems.append(f"{key}: bad placeholder syntax: {exc}")
            continue
        english = names.get("en", set())
        # A finding text's translation may give a fact more (INV003's cost), never one less.
        differ = any(not english <= n for n in names.values()) if key.startswith("finding.") \
            else len({frozenset(n) for n in names.values()}) > 1
        if differ:
            shown = "; ".join(f"{lang}: {sorted(n)}" for lang, n in names.items())
            problems.append(f"{key}: placeholders differ ({shown})")
    return problems


def check_lang(lang: str) -> None:
    """Raise ValueError naming the choices when ``lang`` is not a catalogue language."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (choose from {', '.join(LANGS)})")


def money(amount_cny: float | None, lang: str) -> str:
    """A yearly or one-off amount in CNY, as a reader of ``lang`` expects it.

    English: ``CNY 125,000``. Chinese: ``9,800 元`` below ten thousand, ``12.5 万元``
    up to a hundred million, ``1.2 亿元`` beyond. Fen are not shown.

    >>> money(1234.4, "en"), money(9800, "zh"), money(123456789, "zh"), money(-50000, "zh")
    ('CNY 1,234', '9,800 元', '1.23 亿元', '-5 万元')
    """
    check_lang(lang)
    if amount_cny is None:
        return DASH
    if lang == "en":
        return f"CNY {amount_cny:,.0f}"
    size = abs(amount_cny)
    if size >= 1e8:
        return f"{_trim(amount_cny / 1e8)} 亿元"
    if size >= 1e4:
        return f"{_trim(amount_cny / 1e4)} 万元"
    return f"{amount_cny:,.0f} 元"


def _trim(value: float) -> str:
    """At most two decimals, trailing zeros dropped: 12.50 -> 12.5, 12.00 -> 12."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def display_name(name: str, local_name: str | None, lang: str) -> str:
    """A department's or site's name for a reader: the Chinese name in ``zh`` when declared.

    >>> display_name("Public Security Bureau", "市公安局", "zh"), display_name("West", None, "zh")
    ('市公安局', 'West')
    """
    return local_name if lang == "zh" and local_name else name


def inventory_names(inventory: Inventory) -> Names:
    """A :data:`Names` lookup over one inventory: Chinese readers get names, others ids.

    Sites and departments by :func:`display_name`, rooms and networks by their declared
    name; an id the inventory does not know, or a thing with no name, stays an id.
    """

    def name(kind: str, ident: str, lang: str) -> str:
        if lang != "zh":
            return ident
        if kind in ("site", "department"):
            thing = (inventory.sites if kind == "site" else inventory.departments).get(ident)
            return display_name(thing.name, thing.local_name, lang) if thing else ident
        if kind in ("room", "network"):
            entity = (inventory.rooms if kind == "room" else inventory.networks).get(ident)
            return (entity.name or ident) if entity else ident
        return ident

    return name


def finding_params(subjects: Sequence[str], saving_cny_per_year: float | None,
                   args: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters a finding's texts may use: its args plus ``subjects`` and ``saving_cny``."""
    return {"subjects": tuple(subjects), "saving_cny": saving_cny_per_year, **args}


def variants(code: str, part: str, messages: Mapping[str, Mapping[str, str]] | None = None) -> list[str]:
    """The keys of a finding text: ``finding.<CODE>.<part>``, then ``.2``, ``.3``, ... while they exist."""
    messages = messages if messages is not None else finding_catalogue()
    keys = [f"finding.{code}.{part}"]
    while f"{keys[0]}.{len(keys) + 1}" in messages:
        keys.append(f"{keys[0]}.{len(keys) + 1}")
    return [k for k in keys if k in messages]


def _has_value(value: Any) -> bool:
    """Whether a parameter says something: not None, not an empty list."""
    return value is not None and not (isinstance(value, (list, tuple, set, frozenset)) and not value)


def finding_text(code: str, part: str, lang: str, params: Mapping[str, Any], *,
                 names: Names | None = None,
                 messages: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """A finding's ``part`` (``"title"`` or ``"recommendation"``) in ``lang``, from its params.

    A check may word one code several ways (LIN001: "merge them", or "nothing more to
    merge"), so an entry may have variants ``.2``, ``.3``, ...: the first whose
    placeholders (in any language, so both languages pick the same one) all have a
    value (not None, not an empty list) is used; failing that, the first whose
    placeholders are all there. Raises :class:`MissingParameter` naming the message and
    what it lacks when none fits.
    """
    return _choose(code, part, lang, params, names, messages)[1]


def finding_variant(code: str, part: str, params: Mapping[str, Any], *,
                    messages: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The catalogue key :func:`finding_text` words a finding's ``part`` with (in English)."""
    return _choose(code, part, "en", params, None, messages)[0]


def _choose(code: str, part: str, lang: str, params: Mapping[str, Any], names: Names | None,
            messages: Mapping[str, Mapping[str, str]] | None) -> tuple[str, str]:
    """``(key, text)`` of the variant that fits ``params`` (rules in :func:`finding_text`)."""
    messages = messages if messages is not None else finding_catalogue()
    keys = variants(code, part, messages)
    if not keys:
        raise MissingParameter(f"no message 'finding.{code}.{part}' in {MESSAGES_DIR}")
    needed = {k: frozenset().union(*(_placeholders(text) for text in messages[k].values())) for k in keys}
    for fits in (lambda n: n in params and _has_value(params[n]), lambda n: n in params):
        for key in keys:
            if all(fits(n) for n in needed[key]):
                try:
                    return key, render(key, lang, params, names=names, messages=messages)
                except MissingParameter:
                    continue
    # No variant fits: render the first to name what it lacks.
    return keys[0], render(keys[0], lang, params, names=names, messages=messages)


def render(key: str, lang: str, params: Mapping[str, Any], *, names: Names | None = None,
           messages: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in (rules in the module docstring).

    ``messages`` defaults to the finding catalogue; reports pass it merged with their own.
    Raises :class:`MissingParameter` when the key, a placeholder's parameter, or a
    message an argument names is missing: every one is a programming error.
    """
    check_lang(lang)
    return _Renderer(messages if messages is not None else finding_catalogue(), lang, names).message(key, params)


class _Renderer:
    """One language's rendering of messages over one catalogue."""

    def __init__(self, messages: Mapping[str, Mapping[str, str]], lang: str, names: Names | None) -> None:
        self.messages, self.lang, self.names = messages, lang, names

    def message(self, key: str, params: Mapping[str, Any], depth: int = 0) -> str:
        entry = self.messages.get(key)
        if entry is None:
            raise MissingParameter(f"no message {key!r}")
        if depth > 8:  # an arg.* entry that names itself would never end
            raise MissingParameter(f"message {key!r} nests too deep")
        text = entry.get(self.lang) or entry["en"]
        out = []
        try:
            parsed = _parse(text)
        except ValueError as exc:
            raise MissingParameter(f"message {key!r} has bad placeholder syntax: {exc}") from None
        for literal, field, spec, conversion in parsed:
            out.append(literal)
            if field is None:
                continue
            if field not in params:
                raise MissingParameter(f"message {key!r} needs parameter {field!r}")
            if conversion == "r":  # "{declared!r}": the value quoted, as the device gave it
                out.append(format(repr(params[field]), spec or ""))
                continue
            out.append(self.value(field, params[field], spec or "", params, depth))
        return "".join(out)

    def value(self, name: str, value: Any, spec: str, params: Mapping[str, Any], depth: int) -> str:
        if spec.startswith("@"):
            return self.message(f"{spec[1:]}.{value}", params, depth + 1)
        if isinstance(value, (set, frozenset)):
            value = sorted(value, key=str)
        if isinstance(value, (list, tuple)):
            return self.sequence(name, list(value), spec, params, depth)
        if spec:
            try:
                return format(value, spec)
            except (ValueError, TypeError) as exc:
                raise MissingParameter(f"parameter {name!r} ({value!r}) does not take {spec!r}: {exc}") from None
        return self.scalar(name, value, params, depth)

    def sequence(self, name: str, items: list[Any], spec: str, params: Mapping[str, Any], depth: int) -> str:
        if spec == "#":
            return str(len(items))
        if "|" in spec:
            one, many = spec.split("|", 1)
            return one if len(items) == 1 else many
        shown = [self.message(f"item.{name}", {**params, **item}, depth + 1) if isinstance(item, Mapping)
                 else self.scalar(name, item, params, depth) for item in items]
        if spec == "and":
            return _conjunction(shown, self.lang)
        return (spec or ("、" if self.lang == "zh" else ", ")).join(shown)

    def scalar(self, name: str, value: Any, params: Mapping[str, Any], depth: int) -> str:
        if value is None:
            return DASH
        if isinstance(value, bool):
            return {"en": ("no", "yes"), "zh": ("否", "是")}[self.lang][value]
        if name.endswith("_cny") and isinstance(value, (int, float)):
            return money(value, self.lang)
        if isinstance(value, str):
            if f"arg.{name}.{value}" in self.messages:
                return self.message(f"arg.{name}.{value}", params, depth + 1)
            kind = REFERENCE_ARGS.get(name)
            if kind is not None and self.names is not None:
                kind = str(params.get("kind", "")) if kind == "@kind" else kind
                return self.names(kind, value, self.lang)
        return str(value)


def _conjunction(items: Sequence[str], lang: str) -> str:
    """``a, b and c`` (English), ``a、b和c`` (Chinese).

    >>> _conjunction(["x"], "en"), _conjunction(["x", "y"], "en"), _conjunction(["x", "y", "z"], "zh")
    ('x', 'x and y', 'x、y和z')
    """
    if len(items) <= 1:
        return "".join(items)
    comma, conj = ("、", "和") if lang == "zh" else (", ", " and ")
    return comma.join(items[:-1]) + conj + items[-1]
