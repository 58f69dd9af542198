"""analysis.catalogue: how a message shows its arguments, picks a wording, and says what is missing."""

from __future__ import annotations

import pytest

from analysis.catalogue import (
    MissingParameter,
    check_catalogue,
    finding_text,
    finding_variant,
    render,
)

MESSAGES = {
    "m.money": {"en": "{cost_cny} / {cost_cny:,.0f} CNY", "zh": "{cost_cny} / {cost_cny:,.0f} CNY"},
    "m.list": {"en": "{xs}|{xs:#}|{xs:line|lines}|{xs:and}|{xs:-}",
               "zh": "{xs}|{xs:#}|{xs:line|lines}|{xs:and}|{xs:-}"},
    "m.enum": {"en": "{kind} {kind:s}", "zh": "{kind} {kind:s}"},
    "arg.kind.room": {"en": "machine room", "zh": "机房"},
    "m.clause": {"en": "Do it: {how}.", "zh": "办理：{how}。"},
    "arg.how.later": {"en": "at {when}", "zh": "于 {when}"},
    "m.ns": {"en": "{status:@hint}", "zh": "{status:@hint}"},
    "hint.timeout": {"en": "check reachability", "zh": "检查可达性"},
    "m.items": {"en": "{moves:; }", "zh": "{moves:；}"},
    "item.moves": {"en": "{circuit} at {when}", "zh": "{circuit} 于 {when}"},
    "m.misc": {"en": "{none} {flag} {name!r}", "zh": "{none} {flag} {name!r}"},
    "m.names": {"en": "site {site}, {entity}", "zh": "站点 {site}，{entity}"},
    "finding.X1.title": {"en": "one {a}", "zh": "一 {a} {extra}"},
    "finding.X1.title.2": {"en": "two {b}", "zh": "二 {b}"},
    "finding.X1.title.3": {"en": "three", "zh": "三"},
}


def test_money_by_name_unless_a_format_spec_asks_for_the_raw_number() -> None:
    assert render("m.money", "en", {"cost_cny": 125_000}, messages=MESSAGES) == "CNY 125,000 / 125,000 CNY"
    assert render("m.money", "zh", {"cost_cny": 125_000}, messages=MESSAGES) == "12.5 万元 / 125,000 CNY"


def test_lists_by_spec_count_word_conjunction_and_separator() -> None:
    assert render("m.list", "en", {"xs": ["a", "b", "c"]}, messages=MESSAGES) == "a, b, c|3|lines|a, b and c|a-b-c"
    assert render("m.list", "zh", {"xs": ["a", "b"]}, messages=MESSAGES) == "a、b|2|lines|a和b|a-b"
    assert render("m.list", "en", {"xs": ("a",)}, messages=MESSAGES) == "a|1|line|a|a"


def test_enum_values_clauses_namespaces_and_items() -> None:
    assert render("m.enum", "zh", {"kind": "room"}, messages=MESSAGES) == "机房 room"
    assert render("m.clause", "en", {"how": "later", "when": "2024-03-01"}, messages=MESSAGES) == \
        "Do it: at 2024-03-01."
    assert render("m.ns", "zh", {"status": "timeout"}, messages=MESSAGES) == "检查可达性"
    moves = [{"circuit": "c1", "when": "May"}, {"circuit": "c2", "when": "June"}]
    assert render("m.items", "en", {"moves": moves}, messages=MESSAGES) == "c1 at May; c2 at June"
    assert render("m.misc", "zh", {"none": None, "flag": True, "name": "r1"}, messages=MESSAGES) == "— 是 'r1'"


def test_ids_read_as_names_for_chinese_readers_only() -> None:
    def names(kind: str, ident: str, lang: str) -> str:
        return f"<{kind}:{ident}>" if lang == "zh" else ident

    params = {"site": "hq", "entity": "r9", "kind": "room"}
    assert render("m.names", "en", params, names=names, messages=MESSAGES) == "site hq, r9"
    assert render("m.names", "zh", params, names=names, messages=MESSAGES) == "站点 <site:hq>，<room:r9>"


def test_a_missing_parameter_or_message_is_named() -> None:
    with pytest.raises(MissingParameter, match=r"message 'm.clause' needs parameter 'how'"):
        render("m.clause", "en", {}, messages=MESSAGES)
    with pytest.raises(MissingParameter, match=r"message 'arg.how.later' needs parameter 'when'"):
        render("m.clause", "en", {"how": "later"}, messages=MESSAGES)
    with pytest.raises(MissingParameter, match=r"no message 'hint.refused'"):
        render("m.ns", "en", {"status": "refused"}, messages=MESSAGES)
    with pytest.raises(MissingParameter, match=r"no message 'finding.X9.title'"):
        finding_text("X9", "title", "en", {}, messages=MESSAGES)


def test_the_wording_is_the_first_whose_placeholders_all_have_values_in_every_language() -> None:
    def chosen(**params: object) -> tuple[str, str, str]:
        return (finding_variant("X1", "title", params, messages=MESSAGES),
                finding_text("X1", "title", "en", params, messages=MESSAGES),
                finding_text("X1", "title", "zh", params, messages=MESSAGES))

    assert chosen(a=1, extra="e") == ("finding.X1.title", "one 1", "一 1 e")
    # the Chinese needs "extra": both languages skip to the next wording
    assert chosen(a=1, b=2) == ("finding.X1.title.2", "two 2", "二 2")
    assert chosen(a=1, extra=None, b=[]) == ("finding.X1.title.3", "three", "三")  # None, [] say nothing


def test_a_finding_text_may_give_a_fact_more_in_chinese_never_one_less() -> None:
    assert check_catalogue({"finding.X.title": {"en": "{a}", "zh": "{a} {b}"}}) == []
    assert check_catalogue({"finding.X.title": {"en": "{a} {b}", "zh": "{a}"}})[0].startswith(
        "finding.X.title: placeholders differ")
    assert check_catalogue({"label.x": {"en": "{a}", "zh": "{a} {b}"}})[0].startswith("label.x: placeholders differ")
