"""Validate raw items with their pydantic models and turn each error into a located problem.

:func:`validate` sets ``item.entity`` when the item validates. Otherwise it reports every
pydantic error as a sentence an engineer can act on (``unknown key 'rom' (did you mean
'room'?)``, ``must be text, but YAML reads 0012 as a number: put it in quotes``), at the
line the item's line map gives for the error's ``loc``, and leaves a
stand-in holding the fields that did validate, so reference checks still run on them.
"""

from __future__ import annotations

import datetime as dt
import difflib
from functools import cache, lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from inventory.locations import Item, Problems
from inventory.messages import did_you_mean, short
from inventory.yaml_nodes import MODEL_FIELDS

__all__ = ["validate"]


def validate(item: Item, model: type[BaseModel], problems: Problems) -> None:
    """Build the item's entity, or report each of its validation errors."""
    try:
        item.entity = item.checked = model.model_validate(item.value)
    except ValidationError as exc:
        bad = set()
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            on_key = error["type"] == "extra_forbidden" or (loc and loc[-1] == "[key]")
            if not loc:
                pass  # a model-level rule: no single field is to blame
            elif error["type"] != "extra_forbidden" or len(loc) > 1:
                bad.add(loc[0])  # (an unknown key inside a field breaks that whole field)
            else:  # a misspelt field counts as a broken one: no "missing room" on top
                bad.update(_meant_field(model, str(loc[0])))
            if problems.full:  # counted only: spare the wording
                problems.unlisted += 1
                continue
            loc = tuple(p for p in loc if p != "[key]")
            problems.at(item, loc, _validation_message(error, model, item), key=on_key)
        item.bad = frozenset(str(b) for b in bad)
        item.checked = _stand_in(model, item.value, item.bad)


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model whose keys are checked at ``loc`` (for ``Circuit`` + ``('a',)``: CircuitEnd)."""
    for part in loc:
        nested = MODEL_FIELDS.get(model, (frozenset(), {}))[1].get(part) if isinstance(part, str) else None
        if not isinstance(nested, type):
            return None
        model = nested
    return model


def _yaml_kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false value"
    if isinstance(value, (dt.date, dt.datetime)):
        return "date"
    return "number"


def _validation_message(error: dict[str, Any], model: type[BaseModel], item: Item) -> str:
    """A sentence an engineer can act on, from one pydantic error."""
    kind, loc, given = error["type"], error["loc"], error.get("input")
    got = "" if "credentials" in loc else f" (got {short(given)})"
    if kind == "extra_forbidden":
        fields = sorted((_model_at(model, loc[:-1]) or model).model_fields)
        hint = did_you_mean(str(loc[-1]), fields) or f" (known keys: {', '.join(fields)})"
        return f"unknown key {loc[-1]!r}{hint}"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}{got}"
    if kind == "string_pattern_mismatch":
        return ("must be an id: letters, digits, '.', '_' and '-', starting with a letter "
                f"or digit{got}")
    if kind == "string_type" and isinstance(given, (int, float, bool, dt.date)):
        text = item.lines.text(tuple(loc)) or str(given)
        return (f"must be text, but YAML reads {text} as a {_yaml_kind(given)}: "
                f"put it in quotes ('{text}')")
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<",
              "less_than_equal": "<="}[kind]
        bound = next(iter(error["ctx"].values()))
        return f"must be {op} {_number(bound)}{got}"
    if kind == "finite_number":
        return f"must be a finite number{got}"
    if kind == "float_type" and isinstance(given, int) and not isinstance(given, bool):
        return f"is too large to be a number{got}"  # an integer past the float range
    if kind.startswith(("date", "datetime")):
        detail = error.get("ctx", {}).get("error")
        return f"must be a date YYYY-MM-DD{got}" + (f": {detail}" if detail else "")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"must be a whole number{got}"
    if kind in {"float_parsing", "float_type"}:
        return f"must be a number{got}"
    if kind in {"bool_parsing", "bool_type"}:
        return f"must be true or false{got}"
    if kind in {"tuple_type", "list_type"}:
        return f"must be a list{got}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        sub = _model_at(model, loc)
        keys = f" with keys {', '.join(sub.model_fields)}" if sub else ""
        return f"must be a mapping{keys}{got}"
    msg = error["msg"]
    return msg[:1].lower() + msg[1:] + got


@lru_cache(maxsize=4096)
def _meant_field(model: type[BaseModel], key: str) -> list[str]:
    """The field a misspelt key most likely meant (cached: one typo repeats over many entries)."""
    return difflib.get_close_matches(key, model.model_fields, n=1, cutoff=0.6)


def _number(bound: float) -> str:
    """A bound as written in the model: ``1000000``, ``0.5``, not ``1e+06``."""
    return str(int(bound)) if float(bound).is_integer() else f"{bound:g}"


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, info])


def _stand_in(model: type[BaseModel], value: dict[str, Any], bad: frozenset[str]) -> BaseModel:
    """An unvalidated copy holding the fields that did validate (None for the others).

    Cross-reference checks run on it, so an entity with a type error still gets its
    unknown-room or bad-prefix problems reported in the same run.
    """
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in bad:
            fields[name] = None
        elif name in value:
            try:
                fields[name] = _field_adapter(model, name).validate_python(value[name])
            except ValidationError:  # e.g. spaces the model would have stripped: skip its checks
                fields[name] = None
        else:
            fields[name] = None if info.is_required() else info.get_default(call_default_factory=True)
    return model.model_construct(**fields)
