"""The canonical JSON report, ``netcensus-report.json`` (schema: docs/report-json.md).

Every other format shows a part of what this file holds. It is deterministic: the
same audit gives the same bytes (keys sorted, findings in their sort order, the
audit's own start time as ``generated_at``), so nightly runs can be diffed and
golden-tested.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

from analysis.context import AuditResult
from analysis.findings import Finding
from analysis.summary import summarise
from core.version import __version__
from reports.registry import RenderOptions, renderer

__all__ = ["FILENAME", "SCHEMA_VERSION", "dumps", "jsonable", "render_json", "report_dict"]

#: Bumped when a field changes meaning or disappears (adding a field does not bump it).
SCHEMA_VERSION = 1
FILENAME = "netcensus-report.json"
TOOL_NAME = "netcensus"


def _tool_version() -> str:
    return __version__


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON types, or TypeError if it has no faithful JSON form.

    Sets become sorted lists, tuples lists, dates ISO strings, dataclasses and
    pydantic models dicts, enums their name in lower case (severities) or value,
    NaN and infinity null.
    Nothing is ever turned into its ``repr``: an extra that cannot be represented is
    left out of the report instead (see :func:`report_dict`).
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, enum.IntEnum):
        return str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        to_dict = getattr(value, "to_dict", None)
        return jsonable(to_dict() if callable(to_dict) else dataclasses.asdict(value))
    model_dump = getattr(value, "model_dump", None)  # pydantic models (inventory entities)
    if callable(model_dump):
        return jsonable(model_dump(mode="json"))
    raise TypeError(f"{type(value).__name__} has no JSON form")


def _finding(f: Finding) -> dict[str, Any]:
    d = f.to_dict()
    try:
        d["args"] = jsonable(d.get("args", {}))
    except TypeError:
        # Message parameters are for wording only: keep those that have a JSON form.
        d["args"] = {k: v for k, v in ((k, _try_jsonable(v)) for k, v in f.args.items()) if v is not _NO_JSON}
    return d


_NO_JSON = object()


def _try_jsonable(value: Any) -> Any:
    try:
        return jsonable(value)
    except TypeError:
        return _NO_JSON


def _finite(value: Any) -> Any:
    """NaN and infinity (a check's arithmetic gone wrong) become null: JSON has no form for them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def report_dict(result: AuditResult) -> dict[str, Any]:
    """The whole report as a JSON-ready dict (what ``--format json`` prints)."""
    summary = summarise(result)
    extras, omitted = {}, []
    side = {"diff": result.diff, "room_plan": result.room_plan, "run": result.run}
    for name, found in sorted(side.items()):
        value = _NO_JSON if found is None else _try_jsonable(found)
        if value is not _NO_JSON:
            extras[name] = value
        elif found is not None:
            omitted.append(name)
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": result.started.isoformat(),
        "audit_date": result.audit_date.isoformat(),
        "tool": {"name": TOOL_NAME, "version": _tool_version()},
        "inventory": result.inventory_path,
        "captures": result.captures_path,
        "summary": summary.to_dict(),
        "collection": [
            {"device": d.device, "platform": d.platform, "department": d.department, "site": d.site,
             "status": d.status, "error": d.error, "problems": list(d.problems)}
            for d in summary.collection
        ],
        "findings": [_finding(f) for f in sorted(result.findings, key=Finding.sort_key)],
        "extras": extras,
    }
    if omitted:
        report["extras_omitted"] = omitted
    # The nightly job's diff against its baseline and its run record are first-class keys;
    # the room plan stays under "extras", where the schema has always had it.
    for key in ("diff", "run"):
        if key in extras:
            report[key] = extras.pop(key)
    return _finite(report)


def dumps(report: Mapping[str, Any]) -> str:
    """The file's exact text: sorted keys, two-space indent, UTF-8 text kept readable."""
    return json.dumps(report, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


@renderer("json")
def render_json(result: AuditResult, out_dir: Path, options: RenderOptions) -> list[Path]:
    """Write ``netcensus-report.json`` (the language option does not apply: JSON is canonical)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / FILENAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(report_dict(result)), encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a report
    return [path]
