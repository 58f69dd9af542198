"""One message catalogue for every label, heading and finding text, in English and Chinese.

Each YAML file in ``reports/messages/`` maps a key to ``{en: ..., zh: ...}``, with
``{name}`` placeholders (``str.format`` syntax, format specs allowed). All files are
merged with the finding catalogue (``analysis/messages/findings.yaml``: finding texts
and ``arg.*`` words); a key defined in two files is an error, so renderers can own their
own file (``html.yaml``, ``markdown.yaml``, ...). :func:`check_catalogue` lists every key
that lacks a language or whose placeholders differ between languages (a test runs it).

Parameters are shown by the rules of :mod:`analysis.catalogue` (money by the ``_cny``
suffix, lists joined for the language, ``None`` as an em dash, enum-like values through
``arg.<name>.<value>``, ...).

Finding texts come from the catalogue, from the finding's code and ``args``
(:mod:`analysis.catalogue`). In English a report shows the finding's ``title`` and
``recommendation`` (the catalogue's English, rendered when the check made the finding:
identical to the JSON report). In Chinese it renders ``finding.<CODE>.title`` /
``.recommendation`` from the args, naming sites, departments, rooms and networks by
their Chinese names when the report passes its inventory; a finding whose args do not
fill the entry (one made by hand, or by an older check) shows its English text, so a
report never fails on wording.

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

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.catalogue import (
    LANGS,
    CatalogueError,
    MissingParameter,
    check_catalogue,
    check_lang,
    display_name,
    finding_catalogue,
    finding_params,
    finding_text,
    inventory_names,
    load_catalogue,
    money,
    placeholders,
    render,
)

if TYPE_CHECKING:
    from analysis.findings import Finding
    from inventory.model import Inventory

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

MESSAGES_DIR = Path(__file__).with_name("messages")


@lru_cache(maxsize=1)
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """The bundled catalogue: the reports' messages and the finding catalogue (loaded once).

    Raises :class:`CatalogueError` when a key is in both.
    """
    merged = dict(load_catalogue(MESSAGES_DIR))
    for key, entry in finding_catalogue().items():
        if key in merged:
            raise CatalogueError(f"{MESSAGES_DIR}: {key}: already defined in the finding catalogue")
        merged[key] = dict(entry)
    return merged


def has(key: str) -> bool:
    """Whether the catalogue defines ``key``."""
    return key in catalogue()


def t(key: str, lang: str, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in.

    Raises KeyError naming the key (and the missing parameter) when the key is not
    in the catalogue or a placeholder has no parameter: both are programming errors.
    """
    check_lang(lang)
    if key not in catalogue():
        raise KeyError(f"no message {key!r} in {MESSAGES_DIR}")
    try:
        return render(key, lang, params, messages=catalogue())
    except MissingParameter as exc:
        raise KeyError(str(exc)) from None


def _finding_text(finding: Finding, part: str, lang: str, english: str,
                  inventory: Inventory | None) -> str:
    """The catalogue text of a finding in ``lang``, or its English text (module docstring)."""
    check_lang(lang)
    if lang == "en":
        return english
    params = finding_params(finding.subjects, finding.saving_cny_per_year, finding.args)
    names = inventory_names(inventory) if inventory is not None else None
    try:
        return finding_text(finding.code, part, lang, params, names=names, messages=catalogue())
    except MissingParameter:
        return english


def finding_title(finding: Finding, lang: str, inventory: Inventory | None = None) -> str:
    """The finding's one-line title in ``lang``; pass the audit's inventory to name things by name."""
    return _finding_text(finding, "title", lang, finding.title, inventory)


def finding_recommendation(finding: Finding, lang: str, inventory: Inventory | None = None) -> str:
    """The finding's recommendation in ``lang``; pass the audit's inventory to name things by name."""
    return _finding_text(finding, "recommendation", lang, finding.recommendation, inventory)
