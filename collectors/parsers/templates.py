"""TextFSM templates, compiled once per process.

``ntc_templates.parse.parse_output`` reads and compiles the ntc-templates index
and the template on every call (milliseconds each); a city of 10,000 devices
makes tens of thousands of calls. Here the index is read once, each template is
compiled once, and each parse only resets the state machine.

Template references are those of :class:`core.platforms.Command`:
an ntc-templates command name (looked up in the ntc index for the platform) or
``"own:<file>"`` for a template in ``collectors/templates/``.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from pathlib import Path
from typing import IO, Any

import textfsm
from textfsm import clitable

OWN_PREFIX = "own:"
OWN_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

Row = dict[str, Any]


class TemplateNotFound(LookupError):
    """No template for this platform and command."""


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


class _ScreenedTextFSM(textfsm.TextFSM):
    """TextFSM with a per-state screen that finds the first rule a line can match.

    TextFSM tries every rule of the current state on every line, in Python; most lines
    of a long output (counters, banners) match none. The screen is one regex, the
    alternation of the state's rules (their named groups made anonymous, each rule
    wrapped in a group named after its position): a line that matches no rule costs one
    C-level match, and a line that does starts the rule loop at the first rule it can
    match instead of the top. Rules before it cannot match, so results are identical.
    """

    def __init__(self, template: IO[str]):
        super().__init__(template)
        self._screens: dict[str, re.Pattern[str] | None] = {
            name: _screen([rule.regex for rule in rules]) for name, rules in self.states.items()
        }

    def _CheckLine(self, line: str) -> None:
        screen = self._screens.get(self._cur_state_name)
        if screen is None:
            super()._CheckLine(line)
            return
        hit = screen.match(line)
        if hit is None:
            return
        rules = self._cur_state
        start = int(hit.lastgroup[1:]) if hit.lastgroup else 0
        for index in range(start, len(rules)):
            rule = rules[index]
            matched = rule.regex_obj.regex.match(line)
            if matched is None:
                continue
            for name in matched.groupdict():
                self._AssignVar(matched, name)
            if self._Operations(rule, line):  # False after "Continue": keep trying rules
                if rule.new_state:
                    if rule.new_state not in ("End", "EOF"):
                        self._cur_state = self.states[rule.new_state]
                    self._cur_state_name = rule.new_state
                break


def _screen(patterns: list[str]) -> re.Pattern[str] | None:
    """The screen of a state (see :class:`_ScreenedTextFSM`), or ``None`` if it cannot be built."""
    if not patterns:
        return None
    try:
        return re.compile("|".join(f"(?P<_{i}>{_NAMED_GROUP.sub('(?:', p)})" for i, p in enumerate(patterns)))
    except re.error:  # inline flags, named back-references: no screen, plain TextFSM
        return None


class _Compiled:
    """One compiled template; the lock makes the stateful FSM safe across threads."""

    def __init__(self, path: Path):
        self.path = path
        with open(path, encoding="utf-8") as handle:
            self.fsm = _ScreenedTextFSM(handle)
        self.header = [name.lower() for name in self.fsm.header]
        self.lock = threading.Lock()

    def parse(self, text: str) -> list[Row]:
        with self.lock:
            self.fsm.Reset()
            rows = self.fsm.ParseText(text)
            return [dict(zip(self.header, row, strict=False)) for row in rows]


def _ntc_template_dir() -> Path:
    """Where ntc-templates keeps its index (honours ``NTC_TEMPLATES_DIR`` like ntc does)."""
    env = os.environ.get("NTC_TEMPLATES_DIR")
    if env:
        return Path(env)
    import ntc_templates  # local: only needed when an ntc template is first resolved

    return Path(ntc_templates.__file__).resolve().parent / "templates"


@functools.lru_cache(maxsize=1)
def _ntc_index() -> tuple[Path, clitable.IndexTable]:
    folder = _ntc_template_dir()
    table = clitable.CliTable("index", str(folder))
    return folder, table.index


@functools.cache
def compiled(ntc_platform: str, template: str) -> _Compiled:
    """The compiled template for a platform's command (cached).

    Raises :class:`TemplateNotFound` when neither ntc-templates nor our folder has it.
    """
    if template.startswith(OWN_PREFIX):
        path = OWN_TEMPLATE_DIR / template[len(OWN_PREFIX):]
        if not path.is_file():
            raise TemplateNotFound(f"no template file {path}")
        return _Compiled(path)
    folder, index = _ntc_index()
    row = index.GetRowMatch({"Platform": ntc_platform, "Command": template})
    if not row:
        raise TemplateNotFound(f"ntc-templates has no template for {ntc_platform!r} {template!r}")
    names = index.index[row]["Template"].split(":")
    # A few ntc entries chain several templates and merge them by key; none of the
    # commands we use does, so the first one is the template.
    return _Compiled(folder / names[0])


def parse_text(ntc_platform: str, template: str, text: str) -> list[Row]:
    """Parse ``text`` into rows (lower-case keys, like ntc-templates' ``parse_output``).

    Raises :class:`TemplateNotFound` or ``textfsm.TextFSMError``.
    """
    return compiled(ntc_platform, template).parse(text)
