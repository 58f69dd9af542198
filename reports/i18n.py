"""One message catalogue for every label, heading and finding text, in English and Chinese.

Each YAML file in ``reports/messages/`` maps a key to ``{en: ..., zh: ...}``, with
``{name}`` placeholders (``str.format`` syntax, format specs allowed). All files are
merged; a key defined in two files is an error, so renderers can own their own file
(``html.yaml``, ``markdown.yaml``, ...). :func:`check_catalogue` lists every key that
lacks a language or whose placeholders differ between languages (a test runs it).

Parameters are rendered for the language before substitution:

* a parameter whose name ends in ``_cny`` is money, shown with :func:`money`;
* lists, tuples and sets are joined (``a, b`` in English, ``a、b`` in Chinese);
* ``None`` becomes an em dash;
* a text parameter ``name`` with the value ``v`` is shown as the message
  ``arg.<name>.<v>`` when the catalogue has one (``kind="room"`` -> ``arg.kind.room``,
  "machine room" / "机房"), so enum-like values are translated too; so is each
  text item of a list parameter (``reasons=["parallel"]`` -> ``arg.reasons.parallel``).

Finding texts: in English a report shows the check's own title and recommendation
(the canonical wording, identical to the JSON report, with every detail the check
computed); in Chinese it shows ``finding.<CODE>.title`` / ``.recommendation`` from
the catalogue, filled with the finding's ``args`` (an entry may have variants ``.2``,
``.3``, ... for the ways one check words a finding: the first whose parameters are
all there is used), or the English text when no variant fits.

Examples
--------
>>> money(125000, "en")
'CNY 125,000'
>>> money(125000, "zh")
'12.5 万元'
>>> t("label.saving", "zh")
'节约'
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from analysis.findings import Finding

__all__ = [
    "LANGS",
    "CatalogueError",
    "catalogue",
    "check_catalogue",
    "display_name",
    "finding_recommendation",
    "finding_title",
    "has",
    "load_catalogue",
    "money",
    "placeholders",
    "t",
]

LANGS: tuple[str, ...] = ("en", "zh")
MESSAGES_DIR = Path(__file__).with_name("messages")
_DASH = "—"


class CatalogueError(ValueError):
    """A message file is unreadable, or a key is defined twice or malformed."""


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
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """The bundled catalogue (loaded once)."""
    return load_catalogue(MESSAGES_DIR)


def placeholders(text: str) -> set[str]:
    """The parameter names a message uses: ``"{a} {b:,.0f}"`` -> ``{"a", "b"}``."""
    names = set()
    for _, field_name, _, _ in string.Formatter().parse(text):
        if field_name is not None:
            # "{circuit.id}" or "{ends[0]}" still need the parameter "circuit" / "ends".
            names.add(field_name.split(".")[0].split("[")[0])
    return names


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
        if len({frozenset(n) for n in names.values()}) > 1:
            shown = "; ".join(f"{lang}: {sorted(n)}" for lang, n in names.items())
            problems.append(f"{key}: placeholders differ ({shown})")
    return problems


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (choose from {', '.join(LANGS)})")


def money(amount_cny: float | None, lang: str) -> str:
    """A yearly or one-off amount in CNY, as a reader of ``lang`` expects it.

    English: ``CNY 125,000``. Chinese: ``9,800 元`` below ten thousand, ``12.5 万元``
    up to a hundred million, ``1.2 亿元`` beyond. Fen are not shown.

    >>> money(1234.4, "en"), money(9800, "zh"), money(123456789, "zh"), money(-50000, "zh")
    ('CNY 1,234', '9,800 元', '1.23 亿元', '-5 万元')
    """
    _check_lang(lang)
    if amount_cny is None:
        return _DASH
    if lang == "en":
        return f"CNY {amount_cny:,.0f}"
    size = abs(amount_cny)
    if size >= 1e8:
        return f"{_trim(amount_cny / 1e8)} 亿元"
    if size >= 1e4:
        return f"{_trim(amount_cny / 1e4)} 万元"
    return f"{amount_cny:,.0f} 元"


def display_name(name: str, local_name: str | None, lang: str) -> str:
    """A department's or site's name for a reader: the Chinese name in ``zh`` when declared.

    >>> display_name("Public Security Bureau", "市公安局", "zh"), display_name("West", None, "zh")
    ('市公安局', 'West')
    """
    return local_name if lang == "zh" and local_name else name


def _trim(value: float) -> str:
    """At most two decimals, trailing zeros dropped: 12.50 -> 12.5, 12.00 -> 12."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _render_param(name: str, value: Any, lang: str) -> Any:
    if value is None:
        return _DASH
    if name.endswith("_cny") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return money(value, lang)
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(str(_render_param(name, v, lang)) for v in value)
    if isinstance(value, str):
        word = catalogue().get(f"arg.{name}.{value}")
        if word is not None:
            return word.get(lang) or word["en"]
    if isinstance(value, bool):
        return {("en", True): "yes", ("en", False): "no", ("zh", True): "是", ("zh", False): "否"}[(lang, value)]
    return value


def _format(text: str, lang: str, params: Mapping[str, Any]) -> str:
    return text.format_map({k: _render_param(k, v, lang) for k, v in params.items()})


def has(key: str) -> bool:
    """Whether the catalogue defines ``key``."""
    return key in catalogue()


def t(key: str, lang: str, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in.

    Raises KeyError naming the key (and the missing parameter) when the key is not
    in the catalogue or a placeholder has no parameter: both are programming errors.
    """
    _check_lang(lang)
    try:
        entry = catalogue()[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in {MESSAGES_DIR}") from None
    text = entry.get(lang) or entry["en"]
    try:
        return _format(text, lang, params)
    except (KeyError, IndexError, AttributeError) as exc:
        raise KeyError(f"message {key!r} needs parameter {exc}") from None


def _variants(code: str, part: str) -> list[Mapping[str, str]]:
    """``finding.<CODE>.<part>``, then ``.<part>.2``, ``.<part>.3``, ... while they exist."""
    messages = catalogue()
    keys = [f"finding.{code}.{part}"]
    while f"finding.{code}.{part}.{len(keys) + 1}" in messages:
        keys.append(f"finding.{code}.{part}.{len(keys) + 1}")
    return [messages[k] for k in keys if k in messages]


def _finding_text(finding: "Finding", part: str, lang: str, fallback: str) -> str:
    """Catalogue text of a finding, or its own English text (see the module docstring).

    A check may word one code several ways (LIN001: "merge them" or "nothing more to
    merge"), so an entry may have variants (``.2``, ``.3``, ...). The first variant whose
    placeholders all have a value is used; failing that, the first whose placeholders
    are all passed (``None`` shown as a dash); failing that, the English text. A report
    must never fail because a check's wording moved ahead of the catalogue.
    """
    _check_lang(lang)
    if lang == "en":
        return fallback
    # Every finding can use its subjects and saving, whatever args its check passed.
    params = {"subjects": finding.subjects, "saving_cny": finding.saving_cny_per_year, **finding.args}
    variants = [entry.get(lang) or entry["en"] for entry in _variants(finding.code, part)]
    for needs_values in (True, False):
        for text in variants:
            try:
                names = placeholders(text)
            except ValueError:
                continue
            if all(n in params and (params[n] is not None or not needs_values) for n in names):
                try:
                    return _format(text, lang, params)
                except (KeyError, IndexError, AttributeError, ValueError, TypeError):
                    continue
    return fallback


def finding_title(finding: "Finding", lang: str) -> str:
    """The finding's one-line title in ``lang`` (``finding.<CODE>.title``)."""
    return _finding_text(finding, "title", lang, finding.title)


def finding_recommendation(finding: "Finding", lang: str) -> str:
    """The finding's recommendation in ``lang`` (``finding.<CODE>.recommendation``)."""
    return _finding_text(finding, "recommendation", lang, finding.recommendation)
