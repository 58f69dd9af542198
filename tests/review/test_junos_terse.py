"""Junos ``show interfaces terse`` read on its own, as a department saves it.

The form most often saved from a Junos box: before this review a capture holding it was
silently ignored. The outputs are the review case's (``junos_terse/captures``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.base import RawOutputs
from collectors.parse import parse_outputs

CAPTURES = Path(__file__).parent / "junos_terse" / "captures"
COMMAND = "show interfaces terse"


def read(text: str):
    return parse_outputs(RawOutputs("mx", "juniper_junos", {COMMAND: text}))


def test_every_port_and_unit_with_its_state_and_ipv4_addresses() -> None:
    facts = read((CAPTURES / "qs-mx2" / "show_interfaces_terse.txt").read_text(encoding="utf-8"))
    assert facts.read == (COMMAND,) and not [p for p in facts.problems if p.reason != "missing"]
    by_name = {itf.name: itf for itf in facts.interfaces}
    # every row of the table, in order; iso, mpls, inet6 and tnp lines are no interface
    assert list(by_name) == ["ge-0/0/0", "ge-0/0/0.0", "xe-0/0/0", "xe-0/0/0.0", "xe-0/0/2", "xe-0/0/2.0",
                             "ae0", "ae0.0", "em0", "em0.0", "em1", "em1.0", "fxp0", "fxp0.0", "irb",
                             "irb.10", "lo0", "lo0.0", "lo0.16384", "lo0.16385"]
    assert by_name["xe-0/0/0.0"].addresses == ("10.70.0.13/31",)  # not the ISO address below it
    assert by_name["ae0.0"].addresses == ("10.70.6.1/30",)  # not the inet6 lines
    assert by_name["lo0.0"].addresses == ("10.70.254.32/32",)  # '--> 0/0': a host address
    assert by_name["lo0.16385"].addresses == ("10.0.0.1/32", "10.0.0.16/32", "128.0.0.1/32",
                                              "128.0.0.4/32", "128.0.1.16/32")
    assert (by_name["ge-0/0/0"].admin_up, by_name["ge-0/0/0"].oper_up) == (True, False)
    # a unit of a disabled port prints 'up' for itself: the port decides
    assert (by_name["xe-0/0/2.0"].admin_up, by_name["xe-0/0/2.0"].oper_up) == (False, False)
    roles = {name: itf.role for name, itf in by_name.items() if itf.role != "data"}
    assert roles == {"em0": "management", "em0.0": "internal", "em1": "management", "em1.0": "internal",
                     "fxp0": "management", "fxp0.0": "management", "lo0.16384": "internal",
                     "lo0.16385": "internal"}


@pytest.mark.parametrize("text", ["{\"interface-information\": []}", "error: syntax error, expecting <command>\n",
                                  "Physical interface: ge-0/0/0, Enabled, Physical link is Up\n"])
def test_an_answer_that_is_no_terse_table_fails_loudly(text: str) -> None:
    facts = read(text)
    assert not facts.interfaces
    assert [p.reason for p in facts.problems if p.command == COMMAND] not in ([], ["missing"])
